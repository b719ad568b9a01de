import Alert from '@cloudscape-design/components/alert';
import { explainProblem } from '../api/problem-words.ts';
import { RouterLink } from './router-link.tsx';

/** A field path of the API (`body.name`) as the form's own label says it. */
function fieldName(path: string, labels: Record<string, string>): string {
  const field = path.replace(/^(body|query|path)\./, '');
  return labels[field] ?? field;
}

/**
 * An API error told in words: what happened, what to do, the operation in the way (linked), and
 * each bad field by its label in the form.
 */
export function ProblemAlert(props: {
  error: unknown;
  header?: string;
  fieldLabels?: Record<string, string>;
}) {
  const explained = explainProblem(props.error);
  return (
    <Alert type="error" header={props.header ?? explained.summary}>
      {props.header ? `${explained.summary} ` : null}
      {explained.action}
      {explained.operationId ? (
        <>
          {' '}
          <RouterLink href={`/operations/${explained.operationId}`}>
            View the operation in the way
          </RouterLink>
        </>
      ) : null}
      {explained.fields ? (
        <ul>
          {explained.fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              {fieldName(field.path, props.fieldLabels ?? {})}: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
