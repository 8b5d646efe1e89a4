"""Free loopback ports, found by binding and releasing them on 127.0.0.1."""

import random
import socket

LOOPBACK = "127.0.0.1"


def port_is_free(port, kinds=(socket.SOCK_DGRAM, socket.SOCK_STREAM)):
    """Whether `port` can be bound on 127.0.0.1 for every socket kind in `kinds`."""
    for kind in kinds:
        sock = socket.socket(socket.AF_INET, kind)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        finally:
            sock.close()
    return True


def free_port(kinds=(socket.SOCK_STREAM,)):
    """A port the kernel picks for the first kind, checked free for the other kinds too."""
    for _ in range(50):
        sock = socket.socket(socket.AF_INET, kinds[0])
        try:
            sock.bind((LOOPBACK, 0))
            port = sock.getsockname()[1]
        finally:
            sock.close()
        if port_is_free(port, kinds):
            return port
    raise RuntimeError("no free port on 127.0.0.1")


def free_udp_tcp_port():
    """One port free for both UDP and TCP (Parley's --sip-udp and --sip-tcp share it)."""
    return free_port((socket.SOCK_DGRAM, socket.SOCK_STREAM))


def free_media_range(count=40, low=40000, high=59000):
    """(first, last) of `count` consecutive UDP ports, all free, starting on an even port (RTP, RFC 3550 §11)."""
    for _ in range(100):
        first = random.randrange(low, high - count, 2)
        if all(port_is_free(port, (socket.SOCK_DGRAM,)) for port in range(first, first + count)):
            return first, first + count - 1
    raise RuntimeError("no free media port range on 127.0.0.1")
