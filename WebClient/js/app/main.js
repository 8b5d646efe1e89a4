// Entry point: finds the page's elements, builds the modules and wires them together.
// The only module that touches `document` when it is imported.

import { UserAgent } from "../sip/user-agent.js";
import { ApiClient, describeSignInError } from "./api-client.js";
import { CallController } from "./call-controller.js";
import { ChatController } from "./chat-controller.js";
import { PresenceService } from "./presence-service.js";
import { unwrappedDetail } from "./chat-message.js";
import { ChatView } from "./chat-view.js";
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
const api = new ApiClient();
const session = new SessionController({
    api,
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

const chatView = new ChatView({
    tabs: byId("chat-tabs"),
    panels: byId("chat-panels"),
    empty: byId("chat-empty"),
    status: byId("chat-status"),
    retry: byId("chat-retry"),
    error: byId("chat-error"),
    joinForm: byId("chat-join-form"),
    joinSelect: byId("chat-join-room"),
    openForm: byId("chat-open-form"),
    openUser: byId("chat-open-user"),
    userList: byId("chat-user-list"),
    announcer: byId("chat-announcer"),
    total: byId("unread-total"),
    title: byId("chat-title"),
}, { composeHintId: "chat-compose-hint" });

const chat = new ChatController({
    api,
    view: chatView,
    sendMessage: async (uri, text) => {
        const userAgent = session.userAgent;
        if (!userAgent) throw new Error("not connected");
        return userAgent.sendMessage(uri, text, "text/plain;charset=utf-8");
    },
    dial: (user) => calls.dial(user),
    isPageVisible: () => document.visibilityState !== "hidden",
});

// The unread total also shows in the browser tab's title.
chat.addEventListener("unreadchange", (event) => {
    const total = event.detail?.total ?? 0;
    document.title = total > 0 ? `(${total}) Parley` : "Parley";
});
document.addEventListener("visibilitychange", () => chat.pageVisibilityChanged());

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
    /** The ChatController: snapshot(), setPresence(user, {state, note}), conversations... */
    get chat() {
        return chat;
    },
});

/** Listeners on the running UserAgent, removed together when it goes away. */
let userAgentListeners = null;
/** Publishes the user's status and watches the buddy list (RFC 3903, RFC 4662) while signed in. */
let presenceService = null;

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
    // The chat's history and counts come over HTTP: they load even when the phone cannot start.
    chat.start(account).catch((error) => chatView.setStatus(`The chat could not start: ${error?.message ?? error}`));
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
        const state = event.detail?.state ?? userAgent.state;
        homeView.setRegistration(state, event.detail?.reason);
        // Every registration, the first one too: MESSAGEs sent before it could not reach this page, so the chat
        // reads the history after its newest message (and loads the room list again if that had failed).
        if (state === "registered") chat.connectionRestored();
    }, options);
    userAgent.addEventListener("message", (event) => {
        const detail = event.detail ?? {};
        const kind = chat.receive(detail);
        // Room messages and notices live in the chat only; direct messages show in the Messages card too
        // (not the copies of what this user sent from another device). A CPIM envelope that cannot be
        // believed shows the SIP From, not the sender it claims.
        const shown = unwrappedDetail(detail, { domain: account.domain || userAgent.aorURI?.host,
            isRoom: (name) => chat.isKnownRoom(name) });
        if (kind !== "room" && kind !== "notice" && shown.from !== account.aor) messages.addIncoming(shown);
    }, options);
    userAgent.addEventListener("authfailed", (event) => credentialsRefused(event.detail ?? {}), options);
    presenceService = new PresenceService({ userAgent });
    presenceService.addEventListener("change", (event) => {
        const { user, state, note } = event.detail;
        chat.setPresence(user, { state, note });
    }, options);
    // Publishes the stored choice at once: a reload shows the same status to others.
    presence.connect(presenceService);
    presenceService.start();
    calls.setUserAgent(userAgent);
    homeView.setRegistration(userAgent.state);
    setAppStatus(`Signed in as ${account.aor}`);
}

/**
 * Ends the presence service (unpublish, unsubscribe) while the UserAgent is still registered; it never
 * subscribes again afterwards.
 * @returns {Promise<void>} once both are answered (bounded by the service)
 */
async function stopPresence() {
    presence.connect(null);
    const service = presenceService;
    presenceService = null;
    await service?.stop();
}

/** Detaches everything from the UserAgent and closes the home view. */
function leaveHome() {
    userAgentListeners?.abort();
    userAgentListeners = null;
    stopPresence();
    calls.endAll();
    calls.setUserAgent(null);
    messages.clear();
    chat.stop();
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
    // Presence first: its unsubscribe and unpublish go out before the UserAgent unregisters and stops.
    await stopPresence();
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
