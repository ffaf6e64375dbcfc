// Small timing helpers.

export function debounce(fn, wait) {
    let timer;
    return function (...args) {
        
    };
}

export function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
