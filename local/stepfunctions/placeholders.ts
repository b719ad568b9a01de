const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** Replaces every `${Key}` in ASL text from the map; throws naming any placeholder left unresolved. */
export function substitutePlaceholders(asl: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const substituted = asl.replace(PLACEHOLDER, (whole, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    return value;
  });
  if (missing.size > 0) {
    throw new Error(
      `Unresolved ASL placeholders: ${[...missing].map((k) => `\${${k}}`).join(', ')}`,
    );
  }
  return substituted;
}
