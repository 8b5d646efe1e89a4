// The sign-in form. It only collects and shows; SessionController does the talking to the server.

/** Runs #signin-form. */
export class SignInView {
    /**
     * @param {object} elements
     * @param {HTMLElement} elements.view #signin-view
     * @param {HTMLFormElement} elements.form #signin-form
     * @param {HTMLInputElement} elements.user #signin-user
     * @param {HTMLInputElement} elements.password #signin-password
     * @param {HTMLButtonElement} elements.submit #signin-submit
     * @param {HTMLElement} elements.error #signin-error (role="alert")
     * @param {(user: string, password: string) => Promise<void>} onSubmit resolves when the attempt is over
     */
    constructor({ view, form, user, password, submit, error }, onSubmit) {
        this._view = view;
        this._user = user;
        this._password = password;
        this._submit = submit;
        this._error = error;
        this._busy = false;
        form.addEventListener("submit", async (event) => {
            event.preventDefault();
            if (this._busy) return;
            const userName = user.value.trim();
            if (!userName || !password.value) {
                this.showError("Enter your user name and password.");
                (userName ? password : user).focus();
                return;
            }
            this._setBusy(true);
            try {
                await onSubmit(userName, password.value);
            } finally {
                this._setBusy(false);
            }
        });
    }

    /**
     * Opens the form.
     * @param {string} [errorText] why the visitor is here (e.g. refused credentials); "" for none
     */
    show(errorText = "") {
        this._view.hidden = false;
        this._password.value = "";
        this.showError(errorText);
        (this._user.value ? this._password : this._user).focus();
    }

    /** Closes the form and forgets the typed password. */
    hide() {
        this._view.hidden = true;
        this._password.value = "";
        this.showError("");
    }

    /**
     * Shows why the sign-in failed. The element stays in the page (empty when there is no error) so that
     * screen readers announce each new text of the role="alert" region.
     * @param {string} text "" clears the error
     */
    showError(text) {
        this._error.textContent = text;
    }

    /**
     * A failed attempt: show why and put the focus back on the password, selected for retyping.
     * @param {string} text
     */
    failed(text) {
        this.showError(text);
        this._password.focus();
        this._password.select();
    }

    /** @param {boolean} busy */
    _setBusy(busy) {
        this._busy = busy;
        this._submit.disabled = busy;
        this._submit.textContent = busy ? "Signing in…" : "Sign in";
        this._view.setAttribute("aria-busy", String(busy));
    }
}
