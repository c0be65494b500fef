// ANSI colour, applied only when the terminal layer says so (TTY, no NO_COLOR, no --no-color).
export type Paint = (text: string, color: 'green' | 'red' | 'yellow' | 'dim') => string;

const CODES = { green: 32, red: 31, yellow: 33, dim: 2 } as const;

export const plain: Paint = (text) => text;
export const ansi: Paint = (text, color) => `\u001b[${CODES[color]}m${text}\u001b[0m`;
