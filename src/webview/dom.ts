/** Small DOM helpers for the chat view: elements with attributes, codicon icons, icon buttons. */

type Attributes = Record<string, string | number | boolean | undefined>;

/** An element with attributes (`false`/`undefined` leave one out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Attributes = {},
    ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === false) continue;
        element.setAttribute(name, value === true ? "" : String(value));
    }
    element.append(...children);
    return element;
}

/** A codicon (from @vscode/codicons, bundled into media/dist/codicons); decorative, hidden from screen readers. */
export function icon(name: string, extraClass = ""): HTMLSpanElement {
    return el("span", {
        class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ""}`,
        "aria-hidden": "true"
    });
}

/** The same icon as HTML, for the string-rendered parts (markdown, turn bodies). */
export function iconHtml(name: string): string {
    return `<span class="codicon codicon-${name}" aria-hidden="true"></span>`;
}

/** A toolbar button showing only an icon; its label is its accessible name and its tooltip. */
export function iconButton(
    name: string,
    label: string,
    attributes: Attributes = {}
): HTMLButtonElement {
    return el(
        "button",
        { type: "button", class: "icon-button", title: label, "aria-label": label, ...attributes },
        icon(name)
    );
}
