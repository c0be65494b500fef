import type { ChildProcess } from 'node:child_process';
export const NODE_MOUNTS: [string, string][];
export function runInNode(nodeDir: string, command: string[], onSpawn: (child: ChildProcess) => void, onOutput?: (chunk: Buffer) => void, files?: [string, string][]): Promise<number>;
