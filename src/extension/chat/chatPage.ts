/**
 * The chat webview's HTML: a strict Content-Security-Policy (no default sources, scripts only with
 * this page's nonce, styles and fonts only from the extension's own files, nothing remote).
 * No VS Code API here, so a browser test can build the same page.
 */
export interface ChatPageOptions {
    /** `webview.cspSource`: the origin of the extension's local resources. */
    cspSource: string;
    nonce: string;
    scriptUri: string;
    styleUri: string;
    /** The codicon font's stylesheet (media/dist/codicons/codicon.css, copied from @vscode/codicons by the build). */
    codiconsUri: string;
    /** The page's title (default "Apprentice Chat"); the completion stats view uses the same page. */
    title?: string;
}

export function chatPageHtml({
    cspSource,
    nonce,
    scriptUri,
    styleUri,
    codiconsUri,
    title = "Apprentice Chat"
}: ChatPageOptions): string {
    const csp = [
        "default-src 'none'",
        `style-src ${cspSource}`,
        `font-src ${cspSource}`,
        `img-src ${cspSource}`,
        `script-src 'nonce-${nonce}'`,
        "connect-src 'none'",
        "frame-src 'none'",
        "form-action 'none'",
        "base-uri 'none'"
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(codiconsUri)}">
<link rel="stylesheet" href="${attr(styleUri)}">
<title>${attr(title)}</title>
</head>
<body>
<script nonce="${nonce}" src="${attr(scriptUri)}"></script>
</body>
</html>`;
}

function attr(value: string): string {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** A fresh nonce per page load. */
export function makeNonce(): string {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Buffer.from(bytes)
        .toString("base64")
        .replace(/[^A-Za-z0-9]/g, "");
}
