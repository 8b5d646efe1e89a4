// The DTMF keypad of the call view: buttons [data-digit] plus the digits typed so far.

/** The tones the keypad offers (RFC 4733 §3.2 events 0-11). */
export const KEYPAD_DIGITS = Object.freeze(["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]);

const SHOWN_DIGITS_LIMIT = 32;

/**
 * Whether a key is a DTMF tone the keypad sends.
 * @param {unknown} key
 * @returns {boolean}
 */
export function isKeypadDigit(key) {
    return typeof key === "string" && KEYPAD_DIGITS.includes(key);
}

/**
 * The digits shown after one more key, keeping only the last `limit` so long sequences stay readable.
 * @param {string} shown digits shown so far
 * @param {string} digit the new digit
 * @param {number} [limit=32]
 * @returns {string}
 */
export function appendDigit(shown, digit, limit = SHOWN_DIGITS_LIMIT) {
    const next = `${shown ?? ""}${digit}`;
    return next.length > limit ? next.slice(next.length - limit) : next;
}

/** Wires the keypad buttons; calls onDigit for each pressed digit while enabled and shows the digits sent. */
export class DTMFKeypad {
    /**
     * @param {object} elements
     * @param {HTMLElement} elements.container #dtmf-keypad, holding button[data-digit]
     * @param {HTMLOutputElement} elements.output where the typed digits appear
     * @param {(digit: string) => boolean|void} onDigit sends the tone; false means it was not sent
     */
    constructor({ container, output }, onDigit) {
        this._container = container;
        this._output = output;
        this._onDigit = onDigit;
        this._enabled = false;
        this._shown = "";
        container.addEventListener("click", (event) => {
            const button = event.target instanceof Element ? event.target.closest("button[data-digit]") : null;
            if (button && container.contains(button)) this.press(button.dataset.digit);
        });
    }

    /** @param {boolean} enabled whether the buttons can be pressed (only while connected) */
    setEnabled(enabled) {
        this._enabled = Boolean(enabled);
        for (const button of this._container.querySelectorAll("button[data-digit]")) {
            button.disabled = !this._enabled;
        }
    }

    /**
     * Sends one digit (ignored when disabled or not a keypad digit) and shows it once it was sent.
     * @param {string} digit
     * @returns {boolean} whether it was sent
     */
    press(digit) {
        if (!this._enabled || !isKeypadDigit(digit)) return false;
        if (this._onDigit(digit) === false) return false; // not sent: not shown as if it were
        this._shown = appendDigit(this._shown, digit);
        this._output.textContent = this._shown;
        return true;
    }

    /** Empties the typed digits (a new call starts). */
    clear() {
        this._shown = "";
        this._output.textContent = "";
    }
}
