// setClientPin's input, parsed once at the resolver edge. The code is normalized here and never
// echoed: a problem names the field and the rule, not what was typed.
import { z } from '@crm/config';
import { isUuid } from '@crm/subgraph';
import { normalizePin, PIN_MAX_DIGITS, PIN_MIN_DIGITS } from './pin.rules';

const pinField = z
  .union([z.string(), z.null()], { message: 'give the code, or null to remove it' })
  .transform((value, ctx) => {
    if (value === null) return null;
    const pin = normalizePin(value);
    if (pin === null) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits (spaces, dots and dashes are ignored)`,
      });
      return z.NEVER;
    }
    return pin;
  });

export const setClientPinSchema = z
  .object({
    clientId: z.string().refine(isUuid, 'must be a UUID'),
    pin: pinField,
  })
  .strict();
/** pin: the normalized digits, or null to remove the code */
export type SetClientPin = z.infer<typeof setClientPinSchema>;
