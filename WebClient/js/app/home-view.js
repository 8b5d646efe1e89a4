// The home view's header part: who is signed in and the registration badge.

import { registrationViewState } from "./view-state.js";

/** Shows identity and registration state. */
export class HomeView {
    /**
     * @param {object} elements
     * @param {HTMLElement} elements.view #home-view
     * @param {HTMLElement} elements.identity #identity
     * @param {HTMLElement} elements.badge #registration-status
     * @param {HTMLElement} elements.heading focused when the view opens (tabindex="-1")
     */
    constructor({ view, identity, badge, heading }) {
        this._view = view;
        this._identity = identity;
        this._badge = badge;
        this._heading = heading;
    }

    /**
     * Opens the view for an account.
     * @param {{user: string, displayName: string|null, aor: string}} account
     * @param {{focus?: boolean}} [options] move the focus to the view's heading (after a sign-in)
     */
    show(account, { focus = false } = {}) {
        const documentRef = this._identity.ownerDocument;
        const name = documentRef.createElement("span");
        name.className = "identity-name";
        name.textContent = account.displayName || account.user;
        const aor = documentRef.createElement("span");
        aor.className = "identity-aor";
        aor.textContent = account.aor;
        this._identity.replaceChildren(name, " ", aor);
        this.setRegistration("stopped");
        this._view.hidden = false;
        if (focus) this._heading.focus();
    }

    /** Closes the view. */
    hide() {
        this._view.hidden = true;
        this._identity.replaceChildren();
        this.setRegistration("stopped");
    }

    /**
     * @param {string} state UserAgent state
     * @param {string} [reason]
     */
    setRegistration(state, reason) {
        const view = registrationViewState(state, reason);
        this._badge.dataset.state = view.dataState;
        this._badge.dataset.tone = view.tone;
        if (this._badge.textContent !== view.text) this._badge.textContent = view.text;
    }
}
