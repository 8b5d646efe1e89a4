// One SIP WebSocket (RFC 7118) with the RFC 5626 §4.4.1 CRLF keep-alive.

/** Keep-alive period: RFC 5626 §4.4.1 suggests 25 s for connection-oriented flows behind NATs. */
export const KEEP_ALIVE_INTERVAL_MS = 25_000;
/** RFC 5626 §4.4.1: a pong that does not come within 10 s means the flow failed. */
export const PONG_TIMEOUT_MS = 10_000;
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Events (CustomEvent): "message" {text} for each SIP message (whitespace-only keep-alive frames are swallowed),
 * "close" {code, reason} once when the socket is gone (whoever closed it).
 */
export class WebSocketConnection extends EventTarget {
    /**
     * @param {object} options
     * @param {string} options.url
     * @param {Function} options.WebSocket  constructor
     * @param {{setTimeout: Function, clearTimeout: Function}} options.timers
     * @param {number} [options.keepAliveInterval]
     * @param {number} [options.connectTimeout]
     */
    constructor({ url, WebSocket, timers, keepAliveInterval = KEEP_ALIVE_INTERVAL_MS,
        connectTimeout = CONNECT_TIMEOUT_MS }) {
        super();
        this.url = url;
        this.WebSocketClass = WebSocket;
        this.timers = timers;
        this.keepAliveInterval = keepAliveInterval;
        this.connectTimeout = connectTimeout;
        this.socket = null;
        this.isOpen = false;
        this.isClosed = false;
        this.keepAliveTimer = null;
        this.pongTimer = null;
    }

    /**
     * Opens the socket with the "sip" subprotocol (RFC 7118 §4.1).
     * @returns {Promise<void>} resolves when open; rejects on error, close or timeout
     */
    connect() {
        return new Promise((resolve, reject) => {
            let settled = false;
            const settle = (error) => {
                if (settled) return;
                settled = true;
                this.timers.clearTimeout(timeout);
                if (error) reject(error); else resolve();
            };
            const timeout = this.timers.setTimeout(() => {
                settle(new Error("WebSocket connect timeout"));
                this.close(4000, "connect timeout");
            }, this.connectTimeout);
            try {
                this.socket = new this.WebSocketClass(this.url, "sip");
            } catch (error) {
                settle(error instanceof Error ? error : new Error(String(error)));
                this.finish(1006, "WebSocket could not be created");
                return;
            }
            this.socket.binaryType = "arraybuffer";
            this.socket.onopen = () => {
                // RFC 7118 §4.1: a server that did not agree to "sip" is not a SIP server.
                if (this.socket.protocol && this.socket.protocol !== "sip") {
                    settle(new Error(`WebSocket subprotocol "${this.socket.protocol}" is not "sip"`));
                    this.close(4003, "subprotocol");
                    return;
                }
                this.isOpen = true;
                this.scheduleKeepAlive();
                settle();
            };
            this.socket.onmessage = (event) => this.receive(event.data);
            this.socket.onerror = () => settle(new Error("WebSocket error"));
            this.socket.onclose = (event) => {
                settle(new Error(`WebSocket closed (${event?.code ?? "no code"})`));
                this.finish(event?.code ?? 1006, event?.reason ?? "");
            };
        });
    }

    /**
     * Sends one SIP message as one text frame (RFC 7118 §5.1).
     * @param {string} text
     * @throws {Error} when the socket is not open
     */
    send(text) {
        if (!this.isOpen || this.isClosed) throw new Error("WebSocket is not open");
        this.socket.send(text);
    }

    /** Closes the socket; "close" is dispatched at once (the socket's own close event is then ignored). */
    close(code = 1000, reason = "") {
        if (this.isClosed) return;
        try {
            this.socket?.close(code, reason);
        } catch {
            // A socket that is already closing throws in some browsers; it is closed either way.
        }
        this.finish(code, reason);
    }

    receive(data) {
        this.clearPongTimer();
        const text = typeof data === "string" ? data : new TextDecoder().decode(data);
        // RFC 5626 §4.4.1 / RFC 7118: CRLF keep-alive frames ("\r\n" pong) carry no SIP message.
        if (/^\s*$/.test(text)) return;
        this.dispatchEvent(new CustomEvent("message", { detail: { text } }));
    }

    scheduleKeepAlive() {
        this.timers.clearTimeout(this.keepAliveTimer);
        this.keepAliveTimer = this.timers.setTimeout(() => this.sendPing(), this.keepAliveInterval);
    }

    sendPing() {
        if (!this.isOpen || this.isClosed) return;
        try {
            this.socket.send("\r\n\r\n");
        } catch {
            this.close(4001, "keep-alive send failed");
            return;
        }
        if (this.pongTimer === null) {
            this.pongTimer = this.timers.setTimeout(() => this.close(4002, "keep-alive timeout"), PONG_TIMEOUT_MS);
        }
        this.scheduleKeepAlive();
    }

    clearPongTimer() {
        if (this.pongTimer !== null) this.timers.clearTimeout(this.pongTimer);
        this.pongTimer = null;
    }

    finish(code, reason) {
        if (this.isClosed) return;
        this.isClosed = true;
        this.isOpen = false;
        this.timers.clearTimeout(this.keepAliveTimer);
        this.clearPongTimer();
        if (this.socket) {
            this.socket.onopen = this.socket.onmessage = this.socket.onerror = this.socket.onclose = null;
        }
        this.dispatchEvent(new CustomEvent("close", { detail: { code, reason } }));
    }
}
