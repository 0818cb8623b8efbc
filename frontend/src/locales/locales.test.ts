import { describe, expect, it } from 'vitest';

import { languages, resources } from '@/lib/i18n';

/** Dotted paths of every string in a resource tree. */
function keyPaths(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'object' && value !== null ? keyPaths(value, path) : [path];
  });
}

function leaves(tree: object): unknown[] {
  return Object.values(tree).flatMap((value: unknown) =>
    typeof value === 'object' && value !== null ? leaves(value) : [value],
  );
}

describe('translations', () => {
  const finnishKeys = keyPaths(resources.fi.translation).sort();

  it('offers Finnish, Swedish and English', () => {
    expect(Object.keys(resources).sort()).toEqual([...languages].sort());
  });

  it.each(languages)('%s has exactly the same keys as Finnish', (language) => {
    expect(keyPaths(resources[language].translation).sort()).toEqual(finnishKeys);
  });

  it.each(languages)('%s has only non-empty strings', (language) => {
    for (const value of leaves(resources[language].translation)) {
      expect(typeof value).toBe('string');
      expect(String(value).trim()).not.toBe('');
    }
  });

  it.each(languages)('%s uses the same interpolation variables as Finnish', (language) => {
    const variables = (tree: object) =>
      leaves(tree).map((value) => String(value).match(/{{\s*\w+\s*}}/g)?.sort() ?? []);
    expect(variables(resources[language].translation)).toEqual(variables(resources.fi.translation));
  });
});
