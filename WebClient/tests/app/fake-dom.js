// Just enough DOM for the controller tests (Node has no document). Not a test file itself.

export class FakeDocument {
    constructor() {
        this.activeElement = null;
    }

    createElement(tagName) {
        return new FakeElement(this, tagName.toUpperCase());
    }
}

export class FakeElement extends EventTarget {
    constructor(document, tagName = "DIV", children = []) {
        super();
        this.ownerDocument = document;
        this.tagName = tagName;
        this.children = children;
        this.hidden = false;
        this.disabled = false;
        this.dataset = {};
        this.textContent = "";
        this.value = "";
        this.attributes = new Map();
    }

    setAttribute(name, value) {
        this.attributes.set(name, String(value));
    }

    getAttribute(name) {
        return this.attributes.has(name) ? this.attributes.get(name) : null;
    }

    removeAttribute(name) {
        this.attributes.delete(name);
    }

    focus() {
        this.ownerDocument.activeElement = this;
    }

    contains(other) {
        return other === this || this.children.some((child) => child.contains(other));
    }

    /** Strings become text pieces, as with the real append. */
    append(...nodes) {
        for (const node of nodes) {
            if (typeof node === "string") continue;
            node.parentElement = this;
            this.children.push(node);
        }
    }

    replaceChildren(...nodes) {
        this.children = [];
        this.append(...nodes);
    }

    remove() {
        const siblings = this.parentElement?.children;
        if (siblings) siblings.splice(siblings.indexOf(this), 1);
        this.parentElement = null;
    }

    get firstElementChild() {
        return this.children[0] ?? null;
    }

    /** Finds a descendant by class name (enough for these tests). */
    findByClass(className) {
        for (const child of this.children) {
            if (child.className === className) return child;
            const found = child.findByClass(className);
            if (found) return found;
        }
        return null;
    }

    reset() {
        this.resetCount = (this.resetCount ?? 0) + 1;
    }

    querySelectorAll(selector) {
        if (selector !== "button[data-digit]") throw new Error(`fake DOM cannot query ${selector}`);
        return this.children.filter((child) => child.dataset.digit !== undefined);
    }
}

export class FakeDialog extends FakeElement {
    constructor(document, children) {
        super(document, "DIALOG", children);
        this.open = false;
        this.modalCount = 0;
    }

    showModal() {
        this.open = true;
        this.modalCount += 1;
    }

    close() {
        if (!this.open) return;
        this.open = false;
        this.dispatchEvent(new Event("close"));
    }
}

export class FakeAudio extends FakeElement {
    constructor(document) {
        super(document, "AUDIO");
        this.srcObject = null;
        this.plays = 0;
    }

    play() {
        this.plays += 1;
        return Promise.resolve();
    }
}

/** A MediaStream stand-in whose tracks record stop(). */
export function fakeStream() {
    const track = { stopped: false, stop() { this.stopped = true; } };
    return { track, getTracks: () => [track] };
}

/** The elements CallController needs, wired like index.html. */
export function callElements() {
    const document = new FakeDocument();
    const make = (tagName = "DIV", children = []) => new FakeElement(document, tagName, children);
    const digitButtons = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"].map((digit) => {
        const button = make("BUTTON");
        button.dataset.digit = digit;
        return button;
    });
    const hangup = make("BUTTON");
    const mute = make("BUTTON");
    const keypad = make("DIV", digitButtons);
    const digits = make("OUTPUT");
    const peer = make("H3");
    const stateText = make("SPAN");
    const timer = make("SPAN");
    const accept = make("BUTTON");
    const reject = make("BUTTON");
    const caller = make("P");
    return {
        document,
        view: make("SECTION", [peer, stateText, timer, hangup, mute, keypad, digits]),
        peer, stateText, timer, hangup, mute, keypad, digits,
        dialog: new FakeDialog(document, [caller, accept, reject]),
        caller, accept, reject,
        remoteAudio: new FakeAudio(document),
        dialForm: make("FORM"),
        dialTarget: make("INPUT"),
        dialButton: make("BUTTON"),
        notice: make("P"),
    };
}
