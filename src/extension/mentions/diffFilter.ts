/** Pure helpers for diffs attached to a chat or used for a commit message. */

/**
 * Leaves the files that may hold secrets out of a unified diff (whole `diff --git` sections);
 * returns the diff and the names left out.
 */
export function withoutSecretFiles(
    diff: string,
    isSecret: (path: string) => boolean
): { diff: string; leftOut: string[] } {
    const sections = diff.split(/^(?=diff --git )/m);
    const kept: string[] = [];
    const leftOut: string[] = [];
    for (const section of sections) {
        const header = /^diff --git a\/(.+?) b\/(.+)$/m.exec(section);
        if (header && (isSecret(header[1]) || isSecret(header[2]))) leftOut.push(header[2]);
        else kept.push(section);
    }
    return { diff: kept.join(""), leftOut };
}
