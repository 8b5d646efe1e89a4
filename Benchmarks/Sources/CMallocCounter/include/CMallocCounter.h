#ifndef PARLEY_C_MALLOC_COUNTER_H
#define PARLEY_C_MALLOC_COUNTER_H
#include <stdint.h>

/// Number of allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// this process since it started. Linked into the benchmark executable only: it replaces glibc's
/// allocator entry points with counting wrappers around glibc's own (__libc_malloc and friends).
uint64_t parley_allocation_count(void);

#endif
