/** A form field's error in plain words, next to the field (its id is what the field's aria-describedby names). */
export const FieldError = ({ id, text }: { id: string; text?: string }) =>
  text ? (
    <p class="field-error" id={id} role="alert">
      {text}
    </p>
  ) : null;
