// Test doubles for what Node lacks: a virtual clock, WebSocket, RTCPeerConnection and media objects.

/** Lets promise chains and crypto.subtle jobs finish (they complete on later event-loop turns). */
export async function settle(turns = 5) {
    for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose timers fire only when the test advances it. Pass it as `timers` (own properties, spreadable). */
export class VirtualClock {
    constructor(start = 1_700_000_000_000) {
        this.time = start;
        this.pending = new Map();
        this.nextId = 1;
        this.setTimeout = (callback, delay = 0) => {
            const id = this.nextId;
            this.nextId += 1;
            this.pending.set(id, { at: this.time + Math.max(0, Number(delay) || 0), callback, id });
            return id;
        };
        this.clearTimeout = (id) => {
            this.pending.delete(id);
        };
        this.now = () => this.time;
    }

    /** Runs every timer due within `ms`, in time order, letting async work settle after each. */
    async advance(ms) {
        const end = this.time + ms;
        await settle();
        for (let guard = 0; guard < 10_000; guard += 1) {
            const due = [...this.pending.values()].filter((timer) => timer.at <= end)
                .sort((left, right) => left.at - right.at || left.id - right.id)[0];
            if (!due) break;
            this.pending.delete(due.id);
            this.time = due.at;
            due.callback();
            await settle();
        }
        this.time = end;
        await settle();
    }

    /** @returns {number[]} delays from now of the pending timers, sorted */
    delays() {
        return [...this.pending.values()].map((timer) => timer.at - this.time).sort((left, right) => left - right);
    }
}

/** A WebSocket class with its own list of instances; the test plays the server through each socket. */
export function createWebSocketClass() {
    class FakeWebSocket {
        constructor(url, protocols) {
            this.url = url;
            this.protocols = protocols;
            this.protocol = "";
            this.readyState = 0;
            this.binaryType = "blob";
            this.sent = [];
            this.closeCall = null;
            /** Answer CRLF keep-alives with "\r\n" as Parley does (RFC 5626 §4.4.1). */
            this.autoPong = true;
            this.onopen = this.onmessage = this.onerror = this.onclose = null;
            FakeWebSocket.sockets.push(this);
        }

        send(data) {
            if (this.readyState !== 1) throw new Error("InvalidStateError: not open");
            this.sent.push(data);
            if (this.autoPong && data === "\r\n\r\n") queueMicrotask(() => this.deliver("\r\n"));
        }

        close(code = 1000, reason = "") {
            if (this.readyState >= 2) return;
            this.readyState = 3;
            this.closeCall = { code, reason };
            queueMicrotask(() => this.onclose?.({ code, reason, wasClean: true }));
        }

        // ----- the server side, driven by tests -----

        acceptOpen(protocol = "sip") {
            this.readyState = 1;
            this.protocol = protocol;
            this.onopen?.({});
        }

        refuseOpen() {
            this.readyState = 3;
            this.onerror?.({});
            this.onclose?.({ code: 1006, reason: "", wasClean: false });
        }

        deliver(data) {
            this.onmessage?.({ data });
        }

        drop(code = 1006) {
            this.readyState = 3;
            this.onclose?.({ code, reason: "", wasClean: false });
        }
    }
    FakeWebSocket.sockets = [];
    return FakeWebSocket;
}

export class FakeTrack {
    constructor(kind = "audio") {
        this.kind = kind;
        this.enabled = true;
        this.id = `${kind}-${Math.random().toString(36).slice(2)}`;
    }
}

export class FakeMediaStream {
    constructor(tracks = [new FakeTrack("audio")]) {
        this.tracks = tracks;
        this.id = `stream-${Math.random().toString(36).slice(2)}`;
    }

    getTracks() {
        return [...this.tracks];
    }

    getAudioTracks() {
        return this.tracks.filter((track) => track.kind === "audio");
    }

    addTrack(track) {
        if (!this.tracks.includes(track)) this.tracks.push(track);
    }
}

/** Like RTCDTMFSender: insertDTMF replaces the queue (toneBuffer), which the test may leave "still playing". */
export class FakeDTMFSender {
    constructor() {
        this.calls = [];
        this.toneBuffer = "";
        this.canInsertDTMF = true;
    }

    insertDTMF(tones, duration, gap) {
        this.calls.push({ tones, duration, gap });
        this.toneBuffer = tones;
    }
}

let sdpVersion = 0;

/** A minimal SDP body; `role` shows in the session name so tests can tell offers from answers. */
export function fakeSDP(role) {
    sdpVersion += 1;
    return [
        "v=0", `o=- 4611731400430051336 ${sdpVersion} IN IP4 127.0.0.1`, `s=${role}`, "t=0 0",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtpmap:111 opus/48000/2", "a=sendrecv", "",
    ].join("\r\n");
}

/** What an RTCPeerConnection accepts as remote description in each signaling state (JSEP §3.2). */
const REMOTE_TYPES = {
    stable: ["offer"], "have-local-offer": ["answer", "pranswer"], "have-remote-pranswer": ["answer", "pranswer"],
    "have-remote-offer": ["offer", "rollback"],
};

/**
 * An RTCPeerConnection class with its own instance list. `gathering: "never"` keeps ICE gathering
 * unfinished so the 2 s timeout is exercised; `trackStreams: false` fires ontrack with no streams (a remote
 * section without a=msid). An instance's `failCreateAnswer` makes its next createAnswer fail;
 * `stallRemoteDescription` makes setRemoteDescription never settle.
 */
export function createPeerConnectionClass({ gathering = "immediate", trackStreams = true } = {}) {
    class FakePeerConnection extends EventTarget {
        constructor(configuration) {
            super();
            this.configuration = configuration;
            this.signalingState = "stable";
            this.iceGatheringState = "new";
            this.localDescription = null;
            this.remoteDescription = null;
            this.senders = [];
            this.transceivers = [];
            this.isClosed = false;
            this.ontrack = null;
            this.failCreateAnswer = false;
            this.stallRemoteDescription = false;
            this.remoteStream = new FakeMediaStream([new FakeTrack("audio")]);
            this.log = [];
            FakePeerConnection.instances.push(this);
        }

        addTrack(track, stream) {
            const sender = { track, stream, dtmf: track.kind === "audio" ? new FakeDTMFSender() : null };
            this.senders.push(sender);
            return sender;
        }

        addTransceiver(kind, init) {
            this.transceivers.push({ kind, init });
        }

        getSenders() {
            return [...this.senders];
        }

        async createOffer() {
            this.log.push("createOffer");
            return { type: "offer", sdp: fakeSDP("offer") };
        }

        async createAnswer() {
            this.log.push("createAnswer");
            if (this.failCreateAnswer) {
                this.failCreateAnswer = false;
                throw new Error("OperationError: no codec in common");
            }
            if (this.signalingState !== "have-remote-offer") throw new Error("InvalidStateError: no remote offer");
            return { type: "answer", sdp: fakeSDP("answer") };
        }

        async setLocalDescription(description) {
            this.log.push(`setLocalDescription:${description.type}`);
            if (description.type === "rollback") {
                if (this.signalingState !== "have-local-offer") throw new Error("InvalidStateError: no local offer");
                this.signalingState = "stable";
                this.localDescription = this.stableLocalDescription ?? null;
                return;
            }
            if (description.type === "offer") this.stableLocalDescription = this.localDescription;
            this.localDescription = { ...description };
            this.signalingState = description.type === "offer" ? "have-local-offer" : "stable";
            if (this.iceGatheringState === "complete") return;
            this.iceGatheringState = "gathering";
            if (gathering === "immediate") {
                setImmediate(() => {
                    this.iceGatheringState = "complete";
                    this.dispatchEvent(new Event("icegatheringstatechange"));
                });
            }
        }

        async setRemoteDescription(description) {
            this.log.push(`setRemoteDescription:${description.type}`);
            // Like a browser whose setRemoteDescription is cut short by close(): it never settles.
            if (this.stallRemoteDescription) return new Promise(() => {});
            await new Promise((resolve) => setImmediate(resolve)); // browsers apply it asynchronously
            if (this.signalingState === "closed") throw new Error("InvalidStateError: closed");
            if (!(REMOTE_TYPES[this.signalingState] ?? []).includes(description.type)) {
                throw new Error(`InvalidStateError: ${description.type} in ${this.signalingState}`);
            }
            if (description.type === "rollback") {
                this.signalingState = "stable";
                this.remoteDescription = this.stableRemoteDescription ?? null;
                return;
            }
            if (typeof description.sdp !== "string" || !description.sdp.startsWith("v=0")) {
                throw new Error("OperationError: bad SDP");
            }
            if (description.type === "offer") this.stableRemoteDescription = this.remoteDescription;
            this.remoteDescription = { ...description };
            this.signalingState = { offer: "have-remote-offer", pranswer: "have-remote-pranswer" }[description.type] ??
                "stable";
            const track = this.remoteStream.tracks[0];
            this.ontrack?.({ streams: trackStreams ? [this.remoteStream] : [], track });
        }

        close() {
            this.isClosed = true;
            this.signalingState = "closed";
        }
    }
    FakePeerConnection.instances = [];
    return FakePeerConnection;
}
