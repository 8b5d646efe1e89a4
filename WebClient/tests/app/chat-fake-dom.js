// More fake DOM for the chat tests (not a test file): moving nodes, prepend/insertBefore, a scrollable log whose
// content is 20 px per visible child, and helpers to find elements and press keys.

import { FakeDocument, FakeElement } from "./fake-dom.js";

export const ROW_HEIGHT = 20;

export class ChatFakeDocument extends FakeDocument {
    createElement(tagName) {
        return new ChatFakeElement(this, tagName.toUpperCase());
    }
}

export class ChatFakeElement extends FakeElement {
    constructor(document, tagName = "DIV", children = []) {
        super(document, tagName, children);
        // Message logs (OL) show 5 rows of 20 px; other elements are not scrollable.
        this.clientHeight = tagName === "OL" ? 5 * ROW_HEIGHT : 0;
        this._scrollTop = 0;
        this.scrollEvents = 0;
    }

    /** As in a browser: content height of the visible children; scrollTop stays within 0...max. */
    get scrollHeight() {
        return this.children.filter((child) => !child.hidden).length * ROW_HEIGHT;
    }

    get scrollTop() {
        return this._scrollTop;
    }

    set scrollTop(value) {
        const limit = Math.max(0, this.scrollHeight - this.clientHeight);
        this._scrollTop = Math.min(limit, Math.max(0, Math.round(value)));
    }

    /** The user scrolls: position, then the "scroll" event. */
    scrollByUser(top) {
        this.scrollTop = top;
        this.scrollEvents += 1;
        this.dispatchEvent(new Event("scroll"));
    }

    /** A node moves: it leaves its old place first (as in the DOM). */
    _adopt(node) {
        const siblings = node.parentElement?.children;
        const index = siblings ? siblings.indexOf(node) : -1;
        if (index >= 0) siblings.splice(index, 1);
        node.parentElement = this;
    }

    append(...nodes) {
        for (const node of nodes) {
            if (typeof node === "string") continue;
            this._adopt(node);
            this.children.push(node);
        }
    }

    prepend(...nodes) {
        const elements = nodes.filter((node) => typeof node !== "string");
        for (const node of elements) this._adopt(node);
        this.children.unshift(...elements);
    }

    insertBefore(node, reference) {
        this._adopt(node);
        const index = reference ? this.children.indexOf(reference) : -1;
        if (index < 0) this.children.push(node);
        else this.children.splice(index, 0, node);
        return node;
    }

    replaceChildren(...nodes) {
        for (const child of this.children) child.parentElement = null;
        this.children = [];
        this.append(...nodes);
    }
}

/** @returns {ChatFakeElement[]} every descendant (depth first) for which `predicate` holds */
export function findAll(root, predicate) {
    const found = [];
    const visit = (element) => {
        for (const child of element.children) {
            if (predicate(child)) found.push(child);
            visit(child);
        }
    };
    visit(root);
    return found;
}

/** @returns {ChatFakeElement|null} the first descendant with this class among its classes */
export function byClass(root, className) {
    return findAll(root, (element) => String(element.className).split(" ").includes(className))[0] ?? null;
}

/** @returns {ChatFakeElement[]} */
export function allByClass(root, className) {
    return findAll(root, (element) => String(element.className).split(" ").includes(className));
}

/** Whether the element and all its ancestors are shown. */
export function isShown(element) {
    for (let current = element; current; current = current.parentElement) {
        if (current.hidden) return false;
    }
    return true;
}

/** Dispatches a keydown with this key; returns whether the default was prevented. */
export function press(element, key, { shiftKey = false } = {}) {
    const event = new Event("keydown", { cancelable: true });
    Object.assign(event, { key, shiftKey, isComposing: false });
    element.dispatchEvent(event);
    return event.defaultPrevented;
}

export function click(element) {
    element.dispatchEvent(new Event("click"));
}

export function submit(form) {
    form.dispatchEvent(new Event("submit", { cancelable: true }));
}

/** Lets awaited promises (fake API answers) settle. */
export async function settle(turns = 20) {
    for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** The elements ChatView needs, wired like index.html. */
export function chatElements() {
    const document = new ChatFakeDocument();
    const make = (tagName) => document.createElement(tagName);
    const elements = {
        document,
        tabs: make("DIV"), panels: make("DIV"), empty: make("P"), status: make("P"), retry: make("BUTTON"),
        error: make("P"), joinForm: make("FORM"), joinSelect: make("SELECT"),
        openForm: make("FORM"), openUser: make("INPUT"), userList: make("DATALIST"), announcer: make("P"),
        total: make("A"), title: make("H2"),
    };
    elements.title.id = "chat-title";
    return elements;
}
