export function journalctl(nodeDir: string, args: string[]): string;
export function journalLine(node: string, level: string, msg: string, fields?: Record<string, string>, when?: Date): string;
export function crioStarted(nodeDir: string, node: string, when: Date): void;
export function crioReloaded(nodeDir: string, node: string): void;
