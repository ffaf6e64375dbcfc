export interface User {
    id: number;
    name: string;
    email: string;
    active: boolean;
}

export function greet(user: User): string {
    return `Hello, ${user.name}!`;
}

export function findById(users: User[], id: number): User | undefined {
    return users.find((user) => user.id === id);
}

export function activeUsers(users: User[]): User[] {
    return users.filter((user) => user.active);
}

export function emails(users: User[]): string[] {
    return users.map((user) => user.email);
}

export function names(users: User[]): string[] {
    
}
