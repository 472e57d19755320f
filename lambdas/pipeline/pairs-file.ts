/**
 * The compared pairs of one partition in a compact binary file: header (pair count, vector width), then the left
 * and right record positions (uint32), the blocking rule (uint8) and the comparison vectors (uint8 per comparison).
 * Positions refer to the records of the partition's pair-records file (the records compare used, in order of first use).
 */
export interface PairsFile {
  left: Uint32Array;
  right: Uint32Array;
  rule: Uint8Array;
  vectors: Uint8Array;
  width: number;
}

export function encodePairs(file: PairsFile): Uint8Array {
  const n = file.left.length;
  const bytes = new Uint8Array(8 + n * 8 + n + file.vectors.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, file.width, true);
  let offset = 8;
  for (const array of [file.left, file.right]) {
    for (let i = 0; i < n; i++) view.setUint32(offset + i * 4, array[i], true);
    offset += n * 4;
  }
  bytes.set(file.rule, offset);
  bytes.set(file.vectors, offset + n);
  return bytes;
}

export function decodePairs(bytes: Uint8Array): PairsFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const width = view.getUint32(4, true);
  const left = new Uint32Array(n);
  const right = new Uint32Array(n);
  let offset = 8;
  for (let i = 0; i < n; i++) left[i] = view.getUint32(offset + i * 4, true);
  offset += n * 4;
  for (let i = 0; i < n; i++) right[i] = view.getUint32(offset + i * 4, true);
  offset += n * 4;
  const rule = bytes.slice(offset, offset + n);
  const vectors = bytes.slice(offset + n, offset + n + n * width);
  return { left, right, rule, vectors, width };
}
