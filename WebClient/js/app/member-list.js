// A room's member list: each member with a presence dot and label, and a buddy menu (Chat, Call) that follows
// the ARIA menu button pattern. Presence comes in through setPresence(user, {state, note}).

/** RFC 4480 activities as Parley's presence states (chat contract), with the words the page shows. */
const PRESENCE_LABELS = Object.freeze({
    "available": "Available",
    "away": "Away",
    "busy": "Busy",
    "dnd": "Do not disturb",
    "on-the-phone": "On the phone",
    "offline": "Offline",
});

const MAX_NOTE_LENGTH = 100;

/**
 * Checks a presence report.
 * @param {{state?: string, note?: string|null}|null|undefined} presence
 * @returns {{state: string, label: string, note: string}} state "unknown" (no label) for anything else
 */
export function presenceView(presence) {
    const state = typeof presence?.state === "string" && Object.hasOwn(PRESENCE_LABELS, presence.state)
        ? presence.state : "unknown";
    const rawNote = typeof presence?.note === "string" ? presence.note.replace(/\s+/g, " ").trim() : "";
    const note = rawNote.length > MAX_NOTE_LENGTH ? `${rawNote.slice(0, MAX_NOTE_LENGTH)}…` : rawNote;
    return { state, label: state === "unknown" ? "" : PRESENCE_LABELS[state], note };
}

/**
 * Writes a presence into a dot and a label element.
 * @param {HTMLElement} dot
 * @param {HTMLElement} label
 * @param {{state?: string, note?: string|null}|null|undefined} presence
 */
export function showPresence(dot, label, presence) {
    const view = presenceView(presence);
    dot.dataset.state = view.state;
    label.dataset.state = view.state;
    label.textContent = view.note ? `${view.label || "Note"}: ${view.note}` : view.label;
    label.hidden = label.textContent === "";
}

/** The member list of one room panel. */
export class MemberList {
    /**
     * @param {object} options
     * @param {Document} options.document
     * @param {string} options.idBase unique prefix for the ids of this list's elements
     * @param {string} options.self the signed-in user's name (no menu for them)
     * @param {string} options.roomLabel for the list's accessible name
     * @param {object} handlers
     * @param {(user: string) => void} handlers.chat Chat in the buddy menu
     * @param {(user: string) => void} handlers.call Call in the buddy menu
     */
    constructor({ document, idBase, self, roomLabel }, handlers) {
        this._document = document;
        this._idBase = idBase;
        this._self = self;
        this._handlers = handlers;
        /** @type {Map<string, {state?: string, note?: string}>} */
        this._presence = new Map();
        /** @type {Map<string, {item: HTMLElement, dot: HTMLElement, label: HTMLElement, displayLabel: string,
         *   button: HTMLElement|null, menu: HTMLElement|null, menuItems: HTMLElement[]}>} */
        this._entries = new Map();
        this._openUser = null;

        this.element = document.createElement("aside");
        this.element.className = "chat-members";
        const heading = document.createElement("h4");
        heading.id = `${idBase}-members-title`;
        heading.className = "chat-members-title";
        this._heading = heading;
        this.element.setAttribute("aria-labelledby", heading.id);
        this._list = document.createElement("ul");
        this._list.className = "member-list";
        this._list.setAttribute("aria-label", `Members of ${roomLabel}`);
        this.element.append(heading, this._list);
        this._setHeading(0);
    }

    /** @returns {string[]} the user names shown, in order */
    get members() {
        return [...this._entries.keys()];
    }

    /** @returns {string|null} the member whose buddy menu is open */
    get openMenuUser() {
        return this._openUser;
    }

    /**
     * Shows these members (the signed-in user first, then by label). Updated in place: members who stay keep
     * their elements, so an open buddy menu and the keyboard focus stay where they are; an unchanged list is
     * left alone.
     * @param {{name: string, label: string}[]} members
     */
    setMembers(members) {
        const sorted = [...members].sort((left, right) => {
            if (left.name === this._self) return -1;
            if (right.name === this._self) return 1;
            return left.label.localeCompare(right.label);
        });
        const wanted = new Map(sorted.map((member) => [member.name, member.label]));
        for (const [name, entry] of [...this._entries]) {
            if (wanted.get(name) === entry.displayLabel) continue;
            if (this._openUser === name) this.closeMenu({ focusButton: false });
            entry.item.remove();
            this._entries.delete(name);
        }
        sorted.forEach((member, index) => {
            const entry = this._entries.get(member.name);
            const item = entry ? entry.item : this._createEntry(member);
            const current = this._list.children[index];
            // Only new (or relabelled) members are inserted; those who stay are not moved.
            if (current !== item) this._list.insertBefore(item, current ?? null);
        });
        this._setHeading(sorted.length);
    }

    /**
     * Shows a member's presence (kept for members added later).
     * @param {string} user
     * @param {{state: string, note?: string|null}} presence state: available, away, busy, dnd, on-the-phone,
     *   offline
     */
    setPresence(user, presence) {
        this._presence.set(user, presence);
        const entry = this._entries.get(user);
        if (entry) showPresence(entry.dot, entry.label, presence);
    }

    /**
     * @param {string} user
     * @returns {{state: string, label: string, note: string}|null} what the entry shows, null when not a member
     */
    presenceOf(user) {
        const entry = this._entries.get(user);
        if (!entry) return null;
        return { state: entry.dot.dataset.state, label: entry.label.textContent, note: presenceView(
            this._presence.get(user)).note };
    }

    /**
     * Opens a member's buddy menu and focuses its first item.
     * @param {string} user
     * @returns {boolean} whether the member has a menu
     */
    openMenu(user) {
        const entry = this._entries.get(user);
        if (!entry?.menu) return false;
        if (this._openUser !== user) this.closeMenu({ focusButton: false });
        entry.menu.hidden = false;
        entry.button.setAttribute("aria-expanded", "true");
        this._openUser = user;
        entry.menuItems[0].focus();
        return true;
    }

    /**
     * Closes the open buddy menu.
     * @param {{focusButton?: boolean}} [options] give the focus back to the member's button
     */
    closeMenu({ focusButton = true } = {}) {
        const entry = this._openUser === null ? null : this._entries.get(this._openUser);
        this._openUser = null;
        if (!entry?.menu) return;
        entry.menu.hidden = true;
        entry.button.setAttribute("aria-expanded", "false");
        if (focusButton) entry.button.focus();
    }

    _setHeading(count) {
        this._heading.textContent = `Members (${count})`;
    }

    /** @param {{name: string, label: string}} member */
    _createEntry({ name, label: displayLabel }) {
        const documentRef = this._document;
        const item = documentRef.createElement("li");
        item.className = "member";
        item.dataset.user = name;
        const dot = documentRef.createElement("span");
        dot.className = "presence-dot";
        dot.setAttribute("aria-hidden", "true");
        const nameText = documentRef.createElement("span");
        nameText.className = "member-name";
        nameText.textContent = name === this._self ? `${displayLabel} (you)` : displayLabel;
        const label = documentRef.createElement("span");
        label.className = "member-presence";
        showPresence(dot, label, this._presence.get(name));
        const entry = { item, dot, label, displayLabel, button: null, menu: null, menuItems: [] };
        this._entries.set(name, entry);
        if (name === this._self) {
            item.dataset.self = "true";
            const row = documentRef.createElement("span");
            row.className = "member-row";
            row.append(dot, nameText, label);
            item.append(row);
            return item;
        }
        const button = documentRef.createElement("button");
        button.type = "button";
        button.className = "member-row member-button";
        button.id = `${this._idBase}-member-${name}`;
        button.setAttribute("aria-haspopup", "menu");
        button.setAttribute("aria-expanded", "false");
        button.append(dot, nameText, label);
        const menu = documentRef.createElement("ul");
        menu.className = "buddy-menu";
        menu.id = `${this._idBase}-menu-${name}`;
        menu.setAttribute("role", "menu");
        menu.setAttribute("aria-labelledby", button.id);
        menu.hidden = true;
        button.setAttribute("aria-controls", menu.id);
        const actions = [["chat", `Chat with ${displayLabel}`], ["call", `Call ${displayLabel}`]];
        entry.menuItems = actions.map(([action, text]) => {
            const holder = documentRef.createElement("li");
            holder.setAttribute("role", "none");
            const menuItem = documentRef.createElement("button");
            menuItem.type = "button";
            menuItem.className = "buddy-menu-item";
            menuItem.setAttribute("role", "menuitem");
            menuItem.tabIndex = -1;
            menuItem.dataset.action = action;
            menuItem.textContent = text;
            menuItem.addEventListener("click", () => this._choose(name, action));
            menuItem.addEventListener("keydown", (event) => this._menuKey(name, event));
            holder.append(menuItem);
            menu.append(holder);
            return menuItem;
        });
        Object.assign(entry, { button, menu });
        button.addEventListener("click", () => {
            if (this._openUser === name) this.closeMenu();
            else this.openMenu(name);
        });
        button.addEventListener("keydown", (event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                this.openMenu(name);
                if (event.key === "ArrowUp") entry.menuItems.at(-1).focus();
            } else if (event.key === "Escape" && this._openUser === name) {
                event.preventDefault();
                this.closeMenu();
            }
        });
        // Focus leaving the menu (Tab, a click elsewhere) closes it.
        menu.addEventListener("focusout", (event) => {
            const next = event.relatedTarget;
            if (this._openUser === name && next && !menu.contains(next) && next !== button) {
                this.closeMenu({ focusButton: false });
            }
        });
        item.append(button, menu);
        return item;
    }

    /** ARIA menu keys: arrows move, Home/End jump, Escape closes, Tab leaves. */
    _menuKey(user, event) {
        const entry = this._entries.get(user);
        const items = entry.menuItems;
        const index = items.indexOf(event.target);
        let next = null;
        switch (event.key) {
        case "ArrowDown": next = items[(index + 1) % items.length]; break;
        case "ArrowUp": next = items[(index - 1 + items.length) % items.length]; break;
        case "Home": next = items[0]; break;
        case "End": next = items.at(-1); break;
        case "Escape":
            event.preventDefault();
            this.closeMenu();
            return;
        case "Tab":
            this.closeMenu({ focusButton: false });
            return;
        default:
            return;
        }
        event.preventDefault();
        next.focus();
    }

    _choose(user, action) {
        this.closeMenu();
        if (action === "chat") this._handlers.chat(user);
        else this._handlers.call(user);
    }
}
