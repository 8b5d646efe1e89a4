// Presence test fixtures (not a test file itself): list notification bodies as Parley sends them.
import { buildPIDF } from "../../js/sip/pidf.js";

export const LIST_BOUNDARY = "50UBfW7LSCVLtggUPe5z";
export const LIST_CONTENT_TYPE = "multipart/related;type=\"application/rlmi+xml\";start=\"<rlmi@localhost>\";" +
    `boundary="${LIST_BOUNDARY}"`;

/**
 * A list notification body as Parley sends it (CRLF everywhere).
 * @param {object} options
 * @param {number} options.version
 * @param {boolean} options.fullState
 * @param {{user: string, state?: string, reason?: string, cid?: string, presence?: object}[]} options.resources
 *     `presence` is passed to buildPIDF; a resource gets a PIDF part when it has both cid and presence
 * @param {string} [options.boundary]
 * @returns {string}
 */
export function listBody({ version, fullState, resources, boundary = LIST_BOUNDARY }) {
    const rlmi = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" +
        `<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:alice+buddies@localhost" version="${version}" ` +
        `fullState="${fullState}"><name>Buddies</name>` + resources.map(({ user, state = "active", reason, cid }) =>
        `<resource uri="sip:${user}@localhost"><name>${user}</name><instance id="i-${user}" state="${state}"` +
        (reason ? ` reason="${reason}"` : "") + (cid ? ` cid="${cid}"` : "") + "/></resource>").join("") + "</list>";
    const parts = [["application/rlmi+xml;charset=\"UTF-8\"", "rlmi@localhost", rlmi]];
    for (const { user, cid, presence } of resources) {
        if (cid && presence) {
            parts.push(["application/pidf+xml", cid, buildPIDF({ entity: `sip:${user}@localhost`, ...presence })]);
        }
    }
    return "preamble to ignore\r\n" + parts.map(([type, cid, body]) =>
        `--${boundary}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${cid}>\r\nContent-Type: ${type}\r\n` +
        `\r\n${body}`).join("\r\n") + `\r\n--${boundary}--\r\nepilogue\r\n`;
}
