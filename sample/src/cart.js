// A tiny shopping cart.

export function addItem(cart, item) {
    return { ...cart, items: [...cart.items, item] };
}

export function removeItem(cart, id) {
    return { ...cart, items: cart.items.filter((item) => item.id !== id) };
}

export function total(cart) {
    return cart.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export function itemCount(cart) {
    return cart.items.reduce((count, item) => count + item.quantity, 0);
}
