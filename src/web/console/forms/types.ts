/** The shapes of a console form: its fields, its spec and a submitted form's state. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'number'
  | 'email'
  | 'url'
  | 'password'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'checkboxes'
  | 'list'
  | 'date'
  | 'datetime'
  | 'color'
  | 'hidden'
  | 'file';

export interface FieldSpec {
  /** The field's path in the route's JSON body, dotted. */
  name: string;
  label: string;
  kind?: FieldKind;
  hint?: string;
  /** select, radio and checkboxes; defaults to the schema's enum. */
  options?: Array<{ value: string; label: string }>;
  /** What an empty value sends: nothing (default), null, or an empty list. */
  empty?: 'omit' | 'null' | 'empty';
  /** A date field's time of day (UTC) in the body: the start or the end of the day. */
  dayEdge?: 'start' | 'end';
  /** Extra attributes (trusted markup), e.g. autocomplete="off". */
  attrs?: string;
  /** Shown only when the form's `data-show-when` control has one of these values. */
  showWhen?: { field: string; values: string[] };
  /** Not sent to the API (e.g. a file the page's script uploads first). */
  local?: boolean;
}

export interface FormSpec {
  /** Unique on its page; errors come back to the form with this id. */
  id: string;
  /** The console URL the form posts to. */
  action: string;
  /** The API route it submits to, as "METHOD /path" with the route's own :params. */
  route: string;
  fields: FieldSpec[];
  submit: string;
  /** Current values (an API object): each field's value is read at its path. */
  values?: unknown;
  /** A form that creates something gets an Idempotency-Key: submitting twice creates once. */
  idempotent?: boolean;
  /** Optional trusted markup shown above the fields. */
  intro?: string;
  /** Marks the submit button dangerous. */
  danger?: boolean;
  /** Extra hidden inputs (trusted values, escaped here). */
  hidden?: Record<string, string>;
  /** A progress note the page script shows while the request runs (long operations). */
  busy?: string;
  className?: string;
  /** A named window the form opens (the OAuth consent window). */
  target?: string;
  /** multipart/form-data: a form that sends a file (its console route reads the parts). */
  multipart?: boolean;
}

/** A submitted form coming back with what the user typed and what the API refused. */
export interface FormState {
  formId: string;
  values: FormValues;
  errors: Record<string, string>;
  /** Refusals that name no field of the form. */
  message?: string;
}

export type FormValues = Record<string, string | string[]>;
