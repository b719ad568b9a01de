import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { Labels } from '../../core/labels/labels.ts';

/** The parts of a write's condition as they are gathered, before they are joined. */
export interface ConditionParts {
  readonly names: Record<string, string>;
  readonly values: Record<string, NativeAttributeValue>;
  readonly parts: string[];
}

/**
 * Expects the boolean `attribute` to be still `value` as read. A record stored before the
 * attribute existed has none, which reads as false.
 */
export function expectFlag(into: ConditionParts, attribute: string, value: boolean): void {
  const name = `#${attribute}`;
  const placeholder = `:expected${attribute.charAt(0).toUpperCase()}${attribute.slice(1)}`;
  into.names[name] = attribute;
  into.values[placeholder] = value;
  into.parts.push(
    value
      ? `${name} = ${placeholder}`
      : `(attribute_not_exists(${name}) OR ${name} = ${placeholder})`,
  );
}

/**
 * Expects the labels to be still `labels` as read, so that two merges never lose each other's
 * keys. A record stored before labels existed has none, which reads as no labels.
 */
export function expectLabels(into: ConditionParts, labels: Labels): void {
  into.names['#labels'] = 'labels';
  into.values[':expectedLabels'] = labels;
  into.parts.push(
    Object.keys(labels).length === 0
      ? '(attribute_not_exists(#labels) OR #labels = :expectedLabels)'
      : '#labels = :expectedLabels',
  );
}
