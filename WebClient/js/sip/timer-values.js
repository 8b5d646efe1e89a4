// Timer values of RFC 3261 §17 and Table 4 for a reliable transport (WebSocket: no retransmissions).

/** RFC 3261 §17.1.1.1: T1, the round-trip estimate. */
export const T1 = 500;
/** RFC 3261 §17.1.2.2: T2, the longest interval between retransmissions (also of a 2xx, §13.3.1.4). */
export const T2 = 4000;
/** Timers B, F, H, L and M: 64*T1 = 32 s (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1; RFC 6026 §8.4, §8.7). */
export const TRANSACTION_TIMEOUT = 64 * T1;
/** RFC 3261 §17.2.1: send 100 Trying when the TU has not answered an INVITE within 200 ms. */
export const TRYING_DELAY = 200;
