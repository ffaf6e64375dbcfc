/**
 * The suggestion last shown, to tell when the user types along it: the engine then answers from
 * that suggestion without the model, so the extension need not wait before asking.
 */
export class SuggestionTrail {
    private shown: { uri: string; offset: number; text: string } | undefined;

    /** A suggestion was shown at `offset` of the document `uri` (none: `text` empty). */
    remember(uri: string, offset: number, text: string): void {
        this.shown = text.length > 0 ? { uri, offset, text } : undefined;
    }

    forget(): void {
        this.shown = undefined;
    }

    /**
     * Whether the document's text from the shown suggestion's position up to `offset` is a
     * non-empty strict prefix of that suggestion. `textBetween(start, end)` reads the document.
     */
    followedTo(
        uri: string,
        offset: number,
        textBetween: (start: number, end: number) => string
    ): boolean {
        const shown = this.shown;
        if (!shown || shown.uri !== uri) return false;
        const typed = offset - shown.offset;
        if (typed <= 0 || typed >= shown.text.length) return false;
        return shown.text.startsWith(textBetween(shown.offset, offset));
    }
}
