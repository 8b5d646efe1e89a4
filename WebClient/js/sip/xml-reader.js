// A small, strict, bounded XML reader for the presence documents (PIDF, RLMI): elements, attributes,
// namespaces (XML Namespaces 1.0), character data, comments, processing instructions and CDATA. No DTD: a
// DOCTYPE or entity declaration is refused, so no entity expansion can blow up (the "billion laughs").
// Works in browsers and in Node (which has no DOMParser).

/** XML Namespaces 1.0 §3: the prefix "xml" is bound to this name by definition. */
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";

/** Default bounds; a presence document is a few hundred bytes, a buddy list's RLMI a few KiB. */
const XML_LIMITS = Object.freeze({ maxBytes: 64 * 1024, maxDepth: 32, maxElements: 4096, maxAttributes: 32 });

const PREDEFINED_ENTITIES = new Map([["lt", "<"], ["gt", ">"], ["amp", "&"], ["quot", "\""], ["apos", "'"]]);
// XML 1.0 §2.2 Char: no C0 controls but TAB, LF, CR; no U+FFFE/U+FFFF; no lone surrogate halves.
const FORBIDDEN_CHARACTER = new RegExp("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]" +
    "|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]");
// XML 1.0 §2.3 Name, simplified to what real documents use: ASCII letters, "_", and any non-ASCII letter.
const NAME = /[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\n]*/y;

/** Malformed or refused XML. */
export class XMLParseError extends Error {
    constructor(message) {
        super(message);
        this.name = "XMLParseError";
    }
}

/** One element of a parsed document. */
class XMLElement {
    /**
     * @param {object} fields
     * @param {string|null} fields.namespace   the namespace name, null when none
     * @param {string} fields.localName
     * @param {string|null} fields.prefix
     * @param {{namespace: string|null, localName: string, value: string}[]} fields.attributes
     */
    constructor({ namespace, localName, prefix, attributes }) {
        this.namespace = namespace;
        this.localName = localName;
        this.prefix = prefix;
        this.attributes = attributes;
        /** @type {XMLElement[]} child elements in document order */
        this.children = [];
        /** Character data directly inside this element (not inside its children), entities decoded. */
        this.text = "";
    }

    /**
     * @param {string} localName
     * @param {string|null} [namespace=null]  unprefixed attributes have no namespace (XML Namespaces §6.2)
     * @returns {string|null}
     */
    attribute(localName, namespace = null) {
        const found = this.attributes.find((entry) => entry.localName === localName && entry.namespace === namespace);
        return found ? found.value : null;
    }

    /**
     * @param {string|null} namespace
     * @param {string} localName
     * @returns {boolean}
     */
    is(namespace, localName) {
        return this.namespace === namespace && this.localName === localName;
    }

    /**
     * @param {string|null} namespace
     * @param {string} [localName]  every child of the namespace when omitted
     * @returns {XMLElement[]} the matching child elements
     */
    elements(namespace, localName) {
        return this.children.filter((child) => child.namespace === namespace &&
            (localName === undefined || child.localName === localName));
    }

    /** @returns {XMLElement|null} the first matching child element */
    element(namespace, localName) {
        return this.children.find((child) => child.is(namespace, localName)) ?? null;
    }

    /** @returns {string} the character data of this element and all its descendants, in document order */
    get textContent() {
        return this.text + this.children.map((child) => child.textContent).join("");
    }
}

/**
 * Parses a whole document.
 * @param {string} text
 * @param {Partial<typeof XML_LIMITS>} [limits]
 * @returns {XMLElement} the root element
 * @throws {XMLParseError} for malformed XML, a DTD, or a document over the limits
 */
export function parseXML(text, limits = {}) {
    return new XMLReader(text, { ...XML_LIMITS, ...limits }).readDocument();
}

/**
 * Escapes character data or an attribute value (either quote style).
 * @param {unknown} value
 * @returns {string}
 */
export function escapeXML(value) {
    return String(value ?? "").replace(/[&<>"']/g, (character) => ({
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;",
    })[character]);
}

class XMLReader {
    constructor(text, limits) {
        if (typeof text !== "string") throw new XMLParseError("the document is not text");
        // Checked on the character count first so that a huge string is never encoded.
        if (text.length > limits.maxBytes || new TextEncoder().encode(text).length > limits.maxBytes) {
            throw new XMLParseError(`the document is larger than ${limits.maxBytes} bytes`);
        }
        // XML 1.0 §2.11: line ends are normalized to LF before parsing.
        this.text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
        const forbidden = FORBIDDEN_CHARACTER.exec(this.text);
        if (forbidden) throw new XMLParseError(`a character not allowed in XML at offset ${forbidden.index}`);
        this.limits = limits;
        this.position = 0;
        this.elementCount = 0;
    }

    readDocument() {
        if (/^<\?xml[ \t\n?]/.test(this.text)) this.readDeclaration();
        this.readMisc();
        if (this.text[this.position] !== "<") throw this.error("no root element");
        const root = this.readElement(new Map([["xml", XML_NAMESPACE]]), 1);
        this.readMisc();
        if (this.position < this.text.length) throw this.error("content after the root element");
        return root;
    }

    /** XML 1.0 §2.8: `<?xml version="1.0" ...?>`, only at the very start. */
    readDeclaration() {
        const end = this.text.indexOf("?>");
        if (end < 0) throw this.error("unterminated XML declaration");
        const declaration = this.text.slice(5, end);
        if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(declaration)) throw this.error("bad XML declaration");
        this.position = end + 2;
    }

    /** Whitespace, comments and processing instructions around the root element. */
    readMisc() {
        for (;;) {
            this.skipSpace();
            if (this.text.startsWith("<!--", this.position)) {
                this.readComment();
            } else if (this.text.startsWith("<?", this.position)) {
                this.readProcessingInstruction();
            } else if (this.text.startsWith("<!", this.position)) {
                throw this.error(this.text.startsWith("<!DOCTYPE", this.position) ?
                    "a DOCTYPE is not allowed" : "a markup declaration is not allowed");
            } else {
                return;
            }
        }
    }

    readComment() {
        const end = this.text.indexOf("-->", this.position + 4);
        if (end < 0) throw this.error("unterminated comment");
        if (this.text.slice(this.position + 4, end).includes("--")) throw this.error("\"--\" inside a comment");
        this.position = end + 3;
    }

    readProcessingInstruction() {
        const end = this.text.indexOf("?>", this.position + 2);
        if (end < 0) throw this.error("unterminated processing instruction");
        if (/^xml[\s?]/i.test(this.text.slice(this.position + 2, end + 1))) {
            throw this.error("an XML declaration is only allowed at the start");
        }
        this.position = end + 2;
    }

    /**
     * Reads `<name attributes>content</name>` or `<name attributes/>` starting at "<".
     * @param {Map<string, string>} scope  the namespace bindings in force ("" is the default namespace)
     * @param {number} depth
     */
    readElement(scope, depth) {
        if (depth > this.limits.maxDepth) throw this.error(`elements nested deeper than ${this.limits.maxDepth}`);
        this.elementCount += 1;
        if (this.elementCount > this.limits.maxElements) {
            throw this.error(`more than ${this.limits.maxElements} elements`);
        }
        this.position += 1; // "<"
        const qualifiedName = this.readName("element name");
        const rawAttributes = this.readAttributes();
        const isEmpty = this.text.startsWith("/>", this.position);
        if (!isEmpty && this.text[this.position] !== ">") throw this.error(`"${qualifiedName}" start tag not closed`);
        this.position += isEmpty ? 2 : 1;

        const elementScope = this.bindNamespaces(scope, rawAttributes);
        const element = this.createElement(qualifiedName, rawAttributes, elementScope);
        if (!isEmpty) this.readContent(element, qualifiedName, elementScope, depth);
        return element;
    }

    readAttributes() {
        const attributes = [];
        for (;;) {
            const before = this.position;
            this.skipSpace();
            const next = this.text[this.position];
            if (next === ">" || next === "/" || next === undefined) return attributes;
            if (this.position === before) throw this.error("attributes must be separated by whitespace");
            const name = this.readName("attribute name");
            this.skipSpace();
            if (this.text[this.position] !== "=") throw this.error(`attribute "${name}" has no value`);
            this.position += 1;
            this.skipSpace();
            const quote = this.text[this.position];
            if (quote !== "\"" && quote !== "'") throw this.error(`attribute "${name}" value is not quoted`);
            const end = this.text.indexOf(quote, this.position + 1);
            if (end < 0) throw this.error(`attribute "${name}" value is not terminated`);
            const raw = this.text.slice(this.position + 1, end);
            if (raw.includes("<")) throw this.error(`"<" in the value of attribute "${name}"`);
            this.position = end + 1;
            if (attributes.some((attribute) => attribute.name === name)) {
                throw this.error(`attribute "${name}" appears twice`);
            }
            if (attributes.length >= this.limits.maxAttributes) {
                throw this.error(`more than ${this.limits.maxAttributes} attributes on one element`);
            }
            // XML 1.0 §3.3.3: each whitespace character of an attribute value becomes a space.
            attributes.push({ name, value: this.decode(raw).replace(/[\t\n]/g, " ") });
        }
    }

    /** XML Namespaces 1.0 §3: xmlns and xmlns:prefix declarations open a new scope. */
    bindNamespaces(scope, attributes) {
        let elementScope = scope;
        for (const { name, value } of attributes) {
            if (name !== "xmlns" && !name.startsWith("xmlns:")) continue;
            const prefix = name === "xmlns" ? "" : name.slice(6);
            if (prefix === "xmlns") throw this.error("the prefix xmlns cannot be declared");
            if (prefix === "xml" ? value !== XML_NAMESPACE : value === XML_NAMESPACE) {
                throw this.error("the xml prefix and its namespace belong only to each other");
            }
            if (prefix !== "" && value === "") throw this.error(`prefix "${prefix}" bound to an empty name`);
            if (elementScope === scope) elementScope = new Map(scope);
            elementScope.set(prefix, value);
        }
        return elementScope;
    }

    createElement(qualifiedName, rawAttributes, scope) {
        const { prefix, localName } = this.splitName(qualifiedName);
        const namespace = this.resolve(prefix, scope, qualifiedName, { isAttribute: false });
        const attributes = [];
        for (const { name, value } of rawAttributes) {
            if (name === "xmlns" || name.startsWith("xmlns:")) {
                attributes.push({ namespace: XMLNS_NAMESPACE, localName: name === "xmlns" ? "xmlns" : name.slice(6),
                    value });
                continue;
            }
            const split = this.splitName(name);
            const attributeNamespace = this.resolve(split.prefix, scope, name, { isAttribute: true });
            // XML Namespaces 1.0 §6.3: no two attributes with the same expanded name.
            if (attributes.some((entry) => entry.localName === split.localName &&
                entry.namespace === attributeNamespace)) {
                throw this.error(`attribute "${name}" appears twice`);
            }
            attributes.push({ namespace: attributeNamespace, localName: split.localName, value });
        }
        return new XMLElement({ namespace, localName, prefix, attributes });
    }

    splitName(qualifiedName) {
        const parts = qualifiedName.split(":");
        if (parts.length > 2 || parts.some((part) => part === "")) throw this.error(`bad name "${qualifiedName}"`);
        return parts.length === 2 ? { prefix: parts[0], localName: parts[1] } : { prefix: null, localName: parts[0] };
    }

    resolve(prefix, scope, name, { isAttribute }) {
        if (prefix === null) return isAttribute ? null : (scope.get("") || null);
        if (!scope.has(prefix)) throw this.error(`prefix "${prefix}" of "${name}" is not declared`);
        return scope.get(prefix);
    }

    readContent(element, qualifiedName, scope, depth) {
        for (;;) {
            const markup = this.text.indexOf("<", this.position);
            if (markup < 0) throw this.error(`"${qualifiedName}" is not closed`);
            const characters = this.text.slice(this.position, markup);
            if (characters.includes("]]>")) throw this.error("\"]]>\" in character data");
            element.text += this.decode(characters);
            this.position = markup;
            if (this.text.startsWith("</", markup)) {
                this.position += 2;
                const closing = this.readName("end tag name");
                this.skipSpace();
                if (this.text[this.position] !== ">") throw this.error(`end tag "${closing}" not closed`);
                this.position += 1;
                if (closing !== qualifiedName) throw this.error(`"${qualifiedName}" closed by "${closing}"`);
                return;
            }
            if (this.text.startsWith("<!--", markup)) {
                this.readComment();
            } else if (this.text.startsWith("<![CDATA[", markup)) {
                const end = this.text.indexOf("]]>", markup + 9);
                if (end < 0) throw this.error("unterminated CDATA section");
                element.text += this.text.slice(markup + 9, end);
                this.position = end + 3;
            } else if (this.text.startsWith("<?", markup)) {
                this.readProcessingInstruction();
            } else if (this.text.startsWith("<!", markup)) {
                throw this.error("a markup declaration is not allowed");
            } else {
                element.children.push(this.readElement(scope, depth + 1));
            }
        }
    }

    readName(what) {
        NAME.lastIndex = this.position;
        const match = NAME.exec(this.text);
        if (!match) throw this.error(`expected an ${what}`);
        this.position += match[0].length;
        // A qualified name may hold one colon: "prefix:local" (checked by splitName).
        while (this.text[this.position] === ":") {
            this.position += 1;
            NAME.lastIndex = this.position;
            const rest = NAME.exec(this.text);
            if (!rest) throw this.error(`bad ${what}`);
            this.position += rest[0].length;
            match[0] += `:${rest[0]}`;
        }
        return match[0];
    }

    skipSpace() {
        SPACE.lastIndex = this.position;
        SPACE.exec(this.text);
        this.position = SPACE.lastIndex;
    }

    /** XML 1.0 §4.1, §4.6: the five predefined entities and character references; nothing else. */
    decode(raw) {
        if (!raw.includes("&")) return raw;
        return raw.replace(/&([^;&<\s]{0,12});?/g, (whole, name) => {
            if (!whole.endsWith(";")) throw this.error("\"&\" that starts no reference");
            if (PREDEFINED_ENTITIES.has(name)) return PREDEFINED_ENTITIES.get(name);
            const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
            if (!numeric) throw this.error(`unknown entity "&${name.slice(0, 12)};"`);
            const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
            if (!isXMLCharacter(codePoint)) throw this.error(`character reference to a forbidden character`);
            return String.fromCodePoint(codePoint);
        });
    }

    error(message) {
        const line = this.text.slice(0, this.position).split("\n").length;
        return new XMLParseError(`${message} (line ${line})`);
    }
}

/** XML 1.0 §2.2 Char. */
function isXMLCharacter(codePoint) {
    return codePoint === 0x9 || codePoint === 0xA || codePoint === 0xD ||
        (codePoint >= 0x20 && codePoint <= 0xD7FF) || (codePoint >= 0xE000 && codePoint <= 0xFFFD) ||
        (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
}
