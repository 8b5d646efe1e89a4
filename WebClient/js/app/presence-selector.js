// The presence selector: the user's manual status (and note). Each choice goes to the presence service, which
// publishes it; the last choice also stays in localStorage, so that a reload publishes it again.

export const PRESENCE_STORAGE_KEY = "parley.presence";
export const PRESENCE_NOTE_MAX_LENGTH = 100;

/** Values of select#presence-select, in menu order, with their labels. */
export const PRESENCE_STATUSES = Object.freeze([
    Object.freeze({ value: "available", label: "Available" }),
    Object.freeze({ value: "away", label: "Away" }),
    Object.freeze({ value: "busy", label: "Busy" }),
    Object.freeze({ value: "dnd", label: "Do not disturb" }),
]);

/**
 * A valid presence from anything (stored JSON, form values): unknown statuses become "available",
 * the note is trimmed, single-line and at most PRESENCE_NOTE_MAX_LENGTH characters.
 * @param {unknown} value
 * @returns {{status: string, note: string}}
 */
export function normalizePresence(value) {
    const status = PRESENCE_STATUSES.some((entry) => entry.value === value?.status) ? value.status : "available";
    const rawNote = typeof value?.note === "string" ? value.note : "";
    const note = rawNote.replace(/\s+/g, " ").trim().slice(0, PRESENCE_NOTE_MAX_LENGTH);
    return { status, note };
}

/**
 * The words shown next to the selector, e.g. "Away: back at 3".
 * @param {{status: string, note: string}} presence
 * @returns {string}
 */
export function presenceText(presence) {
    const { status, note } = normalizePresence(presence);
    const label = PRESENCE_STATUSES.find((entry) => entry.value === status).label;
    return note ? `${label}: ${note}` : label;
}

/** Loads and saves the presence choice. */
export class PresenceStore {
    /** @param {Storage|null} storage usually localStorage; null keeps the choice in memory */
    constructor(storage) {
        this._storage = storage;
        this._memory = normalizePresence(null);
    }

    /** @returns {{status: string, note: string}} */
    load() {
        if (!this._storage) return this._memory;
        try {
            const text = this._storage.getItem(PRESENCE_STORAGE_KEY);
            return text ? normalizePresence(JSON.parse(text)) : normalizePresence(null);
        } catch {
            return normalizePresence(null);
        }
    }

    /**
     * @param {{status: string, note: string}} presence
     * @returns {{status: string, note: string}} what was saved (normalized)
     */
    save(presence) {
        const normalized = normalizePresence(presence);
        this._memory = normalized;
        try {
            this._storage?.setItem(PRESENCE_STORAGE_KEY, JSON.stringify(normalized));
        } catch {
            // Quota or privacy mode: the choice lasts until the page closes.
        }
        return normalized;
    }
}

/**
 * Binds the selector, the note input and the text that shows the current choice, and hands each choice to the
 * connected presence service.
 */
export class PresenceSelector {
    /**
     * @param {object} elements
     * @param {HTMLFormElement} elements.form
     * @param {HTMLSelectElement} elements.select select#presence-select
     * @param {HTMLInputElement} elements.note #presence-note
     * @param {HTMLElement} elements.display where the current choice is written
     * @param {PresenceStore} store
     */
    constructor({ form, select, note, display }, store) {
        this._select = select;
        this._note = note;
        this._display = display;
        this._store = store;
        /** @type {{setManualStatus: Function}|null} */
        this._service = null;
        note.maxLength = PRESENCE_NOTE_MAX_LENGTH;
        select.addEventListener("change", () => this._save());
        note.addEventListener("change", () => this._save());
        // Enter in the note saves it instead of reloading the page.
        form.addEventListener("submit", (event) => {
            event.preventDefault();
            this._save();
        });
    }

    /**
     * Sends every choice to `service` from now on, starting with the stored one (a reload publishes the last
     * choice again). null disconnects (sign-out).
     * @param {{setManualStatus: (status: {state: string, note: string}) => unknown}|null} service
     *     usually a PresenceService
     */
    connect(service) {
        this._service = service ?? null;
        this._publish(this._store.load());
    }

    /** Shows the stored choice (call when the home view opens). */
    restore() {
        const presence = this._store.load();
        this._select.value = presence.status;
        this._note.value = presence.note;
        this._display.textContent = presenceText(presence);
    }

    _save() {
        const saved = this._store.save({ status: this._select.value, note: this._note.value });
        this._note.value = saved.note;
        this._display.textContent = presenceText(saved);
        this._publish(saved);
    }

    _publish({ status, note }) {
        try {
            // The service reports the PUBLISH outcome through its own events; a refusal must not break the form.
            const pending = this._service?.setManualStatus({ state: status, note });
            if (pending && typeof pending.then === "function") pending.then(null, () => {});
        } catch {
            // A service that refuses the value: the choice is still shown and stored.
        }
    }
}
