import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogActions } from "@/components/ui/dialog";

/** Below a dialog's form: its error, Cancel, and the submit button that says what it does. */
export function DialogFormFooter({
  formError,
  onCancel,
  pending,
  submit,
}: {
  formError: string | undefined;
  onCancel: () => void;
  pending: boolean;
  submit: [string, string];
}) {
  return (
    <>
      <FormError message={formError} />
      <DialogActions>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? submit[1] : submit[0]}
        </Button>
      </DialogActions>
    </>
  );
}
