// `version`: three lines, or one document.
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';

export interface VersionInfo {
  version: string;
  node: string;
  platform: string;
}

export async function renderVersion(info: VersionInfo, format: OutputFormat): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('Version', info, format);
  return `oc-icsp ${info.version}\nNode.js ${info.node}\nplatform ${info.platform}\n`;
}
