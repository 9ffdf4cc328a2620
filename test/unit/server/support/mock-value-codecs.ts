/**
 * The body of the vi.mock factory every server test file uses for src/server/value-codecs.js:
 * the real storage codecs when they load, else the stand-in.
 */
export async function realOrStandInCodecs(importOriginal: () => Promise<unknown>): Promise<unknown> {
  try {
    return await importOriginal();
  } catch {
    return await import('./value-codecs-stand-in.js');
  }
}
