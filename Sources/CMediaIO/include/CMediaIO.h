// epoll and eventfd for the media threads (MediaRuntime.MediaIOLoop): Swift's Glibc module does not
// carry <sys/epoll.h> or <sys/eventfd.h>.
#ifndef PARLEY_CMEDIAIO_H
#define PARLEY_CMEDIAIO_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// The fd stored in an epoll event (the data union, which Swift reads awkwardly).
static inline int parley_epoll_event_fd(const struct epoll_event *event) { return event->data.fd; }
static inline void parley_epoll_event_set(struct epoll_event *event, unsigned int events, int fd) {
    event->events = events;
    event->data.fd = fd;
}
#endif
#endif
