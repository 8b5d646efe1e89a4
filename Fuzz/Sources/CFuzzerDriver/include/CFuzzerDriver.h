#ifndef PARLEY_C_FUZZER_DRIVER_H
#define PARLEY_C_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt FuzzerInterface.h): runs the fuzzing loop with `callback`.
/// SwiftPM renames an executable's `main` to `<Target>_main`, so the fuzzers call this from there
/// instead of linking libFuzzer's own `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
