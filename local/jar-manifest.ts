/**
 * Reads and rewrites a jar's manifest (META-INF/MANIFEST.MF) without unpacking the jar: the other entries are copied
 * byte for byte, compressed as they are. Plain zip only (no zip64: a jar under 4 GiB with fewer than 65,535 entries).
 */
import { crc32, inflateRawSync } from 'node:zlib';

const MANIFEST = 'META-INF/MANIFEST.MF';
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** The data-descriptor flag: sizes and CRC follow the data instead of sitting in the local header. */
const HAS_DATA_DESCRIPTOR = 0x08;
const STORED = 0;
const DEFLATED = 8;

interface Entry {
  name: string;
  /** Where its record starts in the central directory. */
  centralAt: number;
  /** Where its local header starts. */
  localAt: number;
  method: number;
  compressedSize: number;
}

/** The manifest's main attributes, continuation lines joined (Main-Class, Class-Path, ...). */
export function manifestAttributes(jar: Buffer): Map<string, string> {
  const attributes = new Map<string, string>();
  const text = inflated(jar, manifestEntry(readEntries(jar)))
    .toString('utf8')
    .replace(/\r?\n /g, '');
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // the main section ends at the first blank line
    const colon = line.indexOf(': ');
    if (colon > 0) attributes.set(line.slice(0, colon), line.slice(colon + 2));
  }
  return attributes;
}

/** The same jar with the named main attributes taken out of its manifest (stored uncompressed). */
export function withoutManifestAttributes(jar: Buffer, names: readonly string[]): Buffer {
  const entries = readEntries(jar);
  const manifest = manifestEntry(entries);
  const kept = inflated(jar, manifest)
    .toString('utf8')
    .split(/(?<=\n)(?! )/) // one attribute (with its continuation lines) per piece
    .filter((attribute) => !names.some((name) => attribute.startsWith(`${name}: `)))
    .join('');
  const replacement = storedLocalEntry(jar, manifest, Buffer.from(kept, 'utf8'));

  const byOffset = [...entries].sort((a, b) => a.localAt - b.localAt);
  const next = byOffset[byOffset.indexOf(manifest) + 1];
  const end = endOfCentralDirectory(jar);
  const oldLength = (next?.localAt ?? end.centralAt) - manifest.localAt;
  const shift = replacement.local.length - oldLength;

  const central = Buffer.from(jar.subarray(end.centralAt, end.centralAt + end.centralLength));
  for (const entry of entries) {
    const at = entry.centralAt - end.centralAt;
    if (entry === manifest) replacement.patchCentral(central, at);
    else if (entry.localAt > manifest.localAt) central.writeUInt32LE(entry.localAt + shift, at + 42);
  }
  const tail = Buffer.from(jar.subarray(end.at));
  tail.writeUInt32LE(end.centralAt + shift, 16);
  return Buffer.concat([
    jar.subarray(0, manifest.localAt),
    replacement.local,
    jar.subarray(manifest.localAt + oldLength, end.centralAt),
    central,
    tail,
  ]);
}

/** The names of the jar's entries, in the order of its central directory. */
export function entryNames(jar: Buffer): string[] {
  return readEntries(jar).map((entry) => entry.name);
}

/** The uncompressed content of one entry of the jar. */
export function entryData(jar: Buffer, name: string): Buffer {
  const entry = readEntries(jar).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`the jar has no ${name}`);
  return inflated(jar, entry);
}

function manifestEntry(entries: readonly Entry[]): Entry {
  const manifest = entries.find((entry) => entry.name === MANIFEST);
  if (!manifest) throw new Error(`the jar has no ${MANIFEST}`);
  return manifest;
}

function inflated(jar: Buffer, entry: Entry): Buffer {
  const data = jar.subarray(dataStart(jar, entry), dataStart(jar, entry) + entry.compressedSize);
  if (entry.method === STORED) return Buffer.from(data);
  if (entry.method === DEFLATED) return inflateRawSync(data);
  throw new Error(`${entry.name} uses compression method ${entry.method}`);
}

/** A stored (uncompressed) local entry of `data` under the entry's name, and how to patch its central record. */
function storedLocalEntry(jar: Buffer, entry: Entry, data: Buffer) {
  const name = Buffer.from(entry.name, 'utf8');
  const checksum = crc32(data);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  header.writeUInt16LE(20, 4); // version needed: 2.0
  header.writeUInt16LE(jar.readUInt16LE(entry.localAt + 6) & ~HAS_DATA_DESCRIPTOR, 6);
  header.writeUInt16LE(STORED, 8);
  jar.copy(header, 10, entry.localAt + 10, entry.localAt + 14); // modification time and date
  header.writeUInt32LE(checksum, 14);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return {
    local: Buffer.concat([header, name, data]),
    patchCentral(central: Buffer, at: number): void {
      central.writeUInt16LE(central.readUInt16LE(at + 8) & ~HAS_DATA_DESCRIPTOR, at + 8);
      central.writeUInt16LE(STORED, at + 10);
      central.writeUInt32LE(checksum, at + 16);
      central.writeUInt32LE(data.length, at + 20);
      central.writeUInt32LE(data.length, at + 24);
    },
  };
}

function readEntries(jar: Buffer): Entry[] {
  const end = endOfCentralDirectory(jar);
  const entries: Entry[] = [];
  for (let at = end.centralAt; at < end.centralAt + end.centralLength;) {
    if (jar.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`no central directory record at ${at}`);
    const nameLength = jar.readUInt16LE(at + 28);
    const centralLength = 46 + nameLength + jar.readUInt16LE(at + 30) + jar.readUInt16LE(at + 32);
    entries.push({
      name: jar.toString('utf8', at + 46, at + 46 + nameLength),
      centralAt: at,
      localAt: jar.readUInt32LE(at + 42),
      method: jar.readUInt16LE(at + 10),
      compressedSize: jar.readUInt32LE(at + 20),
    });
    at += centralLength;
  }
  if (entries.length !== end.entries) throw new Error('the central directory does not list every entry');
  return entries;
}

function dataStart(jar: Buffer, entry: Entry): number {
  if (jar.readUInt32LE(entry.localAt) !== LOCAL_HEADER) throw new Error(`no local header for ${entry.name}`);
  return entry.localAt + 30 + jar.readUInt16LE(entry.localAt + 26) + jar.readUInt16LE(entry.localAt + 28);
}

function endOfCentralDirectory(jar: Buffer) {
  // The record is 22 bytes and may end with a comment of up to 65,535.
  for (let at = jar.length - 22; at >= Math.max(0, jar.length - 22 - 0xffff); at--) {
    if (jar.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY) continue;
    const entries = jar.readUInt16LE(at + 10);
    const centralLength = jar.readUInt32LE(at + 12);
    const centralAt = jar.readUInt32LE(at + 16);
    if (entries === 0xffff || centralAt === 0xffffffff) throw new Error('zip64 jars are not supported');
    return { at, entries, centralAt, centralLength };
  }
  throw new Error('not a zip file: no end of central directory');
}
