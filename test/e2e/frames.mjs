// VS Code hosts each webview in an iframe holding the page in an inner iframe, and several webviews
// (chat, completion stats) may be open at once: find a page's frame by what only that page has.

/** The frame in which `selector` matches, waiting up to 60 s; throws naming `what` otherwise. */
export async function frameWith(page, selector, what) {
    for (let i = 0; i < 600; i++) {
        for (const frame of page.frames()) {
            if (
                await frame
                    .locator(selector)
                    .count()
                    .catch(() => 0)
            )
                return frame;
        }
        await page.waitForTimeout(100);
    }
    throw new Error(`${what} did not load`);
}
