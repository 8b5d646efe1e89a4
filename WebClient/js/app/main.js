// Entry point: finds the page's elements, builds the modules and wires them together.
// The only module that touches `document` when it is imported.

import { UserAgent } from "../sip/user-agent.js";
import { ApiClient, describeSignInError } from "./api-client.js";
import { CallController } from "./call-controller.js";
import { browserStorage, CredentialStore } from "./credential-store.js";
import { formatStatus } from "./format.js";
import { HomeView } from "./home-view.js";
import { MessagesView } from "./messages-view.js";
import { PresenceSelector, PresenceStore } from "./presence-selector.js";
import { SessionController } from "./session-controller.js";
import { SignInView } from "./signin-view.js";

/** @param {string} id @returns {HTMLElement} */
function byId(id) {
    const element = document.getElementById(id);
    if (!element) throw new Error(`index.html lacks #${id}`);
    return element;
}

/** getUserMedia, or a NotSupportedError where the browser has none (e.g. a page that is not https). */
function getUserMedia(constraints) {
    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (typeof mediaDevices?.getUserMedia !== "function") {
        return Promise.reject(new DOMException("getUserMedia is not available", "NotSupportedError"));
    }
    return mediaDevices.getUserMedia(constraints);
}

const appStatus = byId("app-status");
const signOutButton = byId("signout");

// The SIP key is shared by the tabs (localStorage); the instance id is made per page load.
const credentials = new CredentialStore({ localStorage: browserStorage(window, "localStorage") });
const session = new SessionController({
    api: new ApiClient(),
    credentials,
    createUserAgent: (options) => new UserAgent(options),
});

const homeView = new HomeView({
    view: byId("home-view"),
    identity: byId("identity"),
    badge: byId("registration-status"),
    heading: byId("home-title"),
});

const presence = new PresenceSelector({
    form: byId("presence-form"),
    select: byId("presence-select"),
    note: byId("presence-note"),
    display: byId("presence-display"),
}, new PresenceStore(browserStorage(window, "localStorage")));

const messages = new MessagesView({
    list: byId("messages"),
    empty: byId("messages-empty"),
    form: byId("message-form"),
    to: byId("message-to"),
    text: byId("message-text"),
    send: byId("message-send"),
    formError: byId("message-form-error"),
    results: byId("message-results"),
}, async (to, text) => {
    const userAgent = session.userAgent;
    if (!userAgent) throw new Error("not connected");
    return userAgent.sendMessage(to, text, "text/plain");
});

const calls = new CallController({
    view: byId("call-view"),
    peer: byId("call-peer"),
    stateText: byId("call-state"),
    timer: byId("call-timer"),
    hangup: byId("call-hangup"),
    mute: byId("call-mute"),
    keypad: byId("dtmf-keypad"),
    digits: byId("dtmf-digits"),
    dialog: byId("incoming-call"),
    caller: byId("incoming-caller"),
    accept: byId("incoming-accept"),
    reject: byId("incoming-reject"),
    remoteAudio: byId("remote-audio"),
    dialForm: byId("dial-form"),
    dialTarget: byId("dial-target"),
    dialButton: byId("dial-call"),
    notice: byId("call-notice"),
}, { getUserMedia });

const signInView = new SignInView({
    view: byId("signin-view"),
    form: byId("signin-form"),
    user: byId("signin-user"),
    password: byId("signin-password"),
    submit: byId("signin-submit"),
    error: byId("signin-error"),
}, signIn);

// For the browser tests (read-only): always the current objects.
window.parley = Object.freeze({
    get userAgent() {
        return session.userAgent;
    },
    get currentCall() {
        return calls.currentCall;
    },
});

/** Listeners on the running UserAgent, removed together when it goes away. */
let userAgentListeners = null;

/** @param {string} text */
function setAppStatus(text) {
    appStatus.textContent = text;
}

/**
 * Shows the home view for the signed-in account and starts its UserAgent.
 * @param {object} account
 * @param {{focus: boolean}} options
 */
function enterHome(account, { focus }) {
    signInView.hide();
    homeView.show(account, { focus });
    presence.restore();
    let userAgent;
    try {
        userAgent = session.startUserAgent();
    } catch (error) {
        homeView.setRegistration("failed", error instanceof Error ? error.message : String(error));
        setAppStatus("The phone could not start.");
        return;
    }
    userAgentListeners = new AbortController();
    const options = { signal: userAgentListeners.signal };
    userAgent.addEventListener("statechange", (event) => {
        homeView.setRegistration(event.detail?.state ?? userAgent.state, event.detail?.reason);
    }, options);
    userAgent.addEventListener("message", (event) => messages.addIncoming(event.detail ?? {}), options);
    userAgent.addEventListener("authfailed", (event) => credentialsRefused(event.detail ?? {}), options);
    calls.setUserAgent(userAgent);
    homeView.setRegistration(userAgent.state);
    setAppStatus(`Signed in as ${account.aor}`);
}

/** Detaches everything from the UserAgent and closes the home view. */
function leaveHome() {
    userAgentListeners?.abort();
    userAgentListeners = null;
    calls.endAll();
    calls.setUserAgent(null);
    messages.clear();
    homeView.hide();
}

/**
 * #signin-form submitted.
 * @param {string} user
 * @param {string} password
 */
async function signIn(user, password) {
    signInView.showError("");
    let account;
    try {
        account = await session.signIn(user, password);
    } catch (error) {
        signInView.failed(describeSignInError(error));
        return;
    }
    enterHome(account, { focus: true });
}

async function signOut() {
    signOutButton.disabled = true;
    setAppStatus("Signing out…");
    calls.endAll();
    const { serverError } = await session.signOut();
    leaveHome();
    signOutButton.disabled = false;
    setAppStatus(serverError ? `Signed out on this page (the server said: ${serverError})` : "Signed out");
    signInView.show("");
}

/** The registrar refused the SIP key (e.g. another tab asked for a new one): offer a fresh sign-in. */
async function credentialsRefused({ status, reason }) {
    if (!session.userAgent) return;
    const why = Number.isInteger(status) ? formatStatus(status, reason) : (reason || "refused");
    leaveHome();
    await session.dropCredentials();
    setAppStatus("Signed out: the server refused this page's SIP credentials");
    signInView.show(`The server refused the SIP credentials (${why}). Please sign in again.`);
}

signOutButton.addEventListener("click", () => {
    if (!signOutButton.disabled) signOut();
});

async function start() {
    setAppStatus("Checking your session…");
    const { account, error } = await session.resume();
    if (account) {
        enterHome(account, { focus: false });
    } else {
        setAppStatus("Not signed in");
        signInView.show(error);
    }
}

start().catch((error) => {
    setAppStatus("The page could not start.");
    signInView.show(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
});
