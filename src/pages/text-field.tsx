// The NHS text input (nhsuk-frontend components/text-input) in its form group:
// the label, a hint, the inline error above the field (NHS service manual,
// error message), and aria-describedby naming the hint and the error so that a
// screen reader reads both with the field (WCAG 2.2 SC 3.3.1, 1.3.1).
import { ErrorMessage } from './error-summary.tsx';

export interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  /** The label's classes: 'nhsuk-label' by default, with a size modifier where the field is the page's question. */
  labelClass?: string;
  hint: string;
  /** What is wrong with the value entered, shown above the field. */
  error?: string;
  /** The nhsuk-frontend width class, e.g. 'nhsuk-input--width-10'. */
  width: string;
  /** The input's other attributes (autocomplete, inputmode, value...). */
  input?: Record<string, string | number | boolean>;
}

export function TextField({ id, name, label, labelClass = 'nhsuk-label', hint, error, width, input = {} }: TextFieldProps) {
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class={labelClass} for={id}>
        {label}
      </label>
      <div class="nhsuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      {error ? <ErrorMessage id={`${id}-error`} text={error} /> : null}
      <input
        class={`nhsuk-input ${width}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={name}
        type="text"
        {...input}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}
