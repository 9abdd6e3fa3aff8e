import { readFileSync } from 'node:fs';
import { entryData, entryNames, manifestAttributes, withoutManifestAttributes } from '../../jar-manifest';
import { dynamoDbLocalJar } from './dynamodb-local-jar';

// AWS's own jar, as the local cloud runs it: a real manifest with a long, folded Class-Path.
const jar = readFileSync(dynamoDbLocalJar());

describe('a jar manifest', () => {
  it('reads the main attributes, folded lines joined', () => {
    const attributes = manifestAttributes(jar);
    expect(attributes.get('Main-Class')).toBe('software.amazon.dynamodb.services.local.main.ServerRunner');
    expect(attributes.get('Class-Path')?.split(' ')).toEqual(
      expect.arrayContaining(['.', 'DynamoDBLocal_lib/sqlite4java.jar']),
    );
  });

  it('drops the named attributes and keeps the others', () => {
    const rewritten = withoutManifestAttributes(jar, ['Class-Path']);
    const before = manifestAttributes(jar);
    const after = manifestAttributes(rewritten);
    before.delete('Class-Path');
    expect(after).toEqual(before);
  });

  it('leaves every other entry as it was', () => {
    const rewritten = withoutManifestAttributes(jar, ['Class-Path']);
    const names = entryNames(jar);
    expect(entryNames(rewritten)).toEqual(names);
    // The entries before the manifest, right after it, and the last one: each moved or not, each read back whole.
    const manifestAt = names.indexOf('META-INF/MANIFEST.MF');
    for (const name of [names[0], names[manifestAt + 1], names[names.length - 1]]) {
      expect(entryData(rewritten, name ?? '')).toEqual(entryData(jar, name ?? ''));
    }
  });

  it('refuses what is not a zip file', () => {
    expect(() => manifestAttributes(Buffer.from('not a jar'))).toThrow(/not a zip file/);
  });
});
