/** The PascalCase construct ID of a kebab-case catalog name: `api-list-regions` → `ApiListRegions`. */
export function constructId(kebabName: string): string {
  return kebabName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
