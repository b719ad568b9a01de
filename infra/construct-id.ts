/** The PascalCase construct ID of a kebab-case catalog name: `api-get-regions` → `ApiGetRegions`. */
export function constructId(kebabName: string): string {
  return kebabName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
