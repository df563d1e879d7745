// Types of the generated standalone validators (scripts/gen-validators.mjs).
export interface ValidationError {
  instancePath: string;
  message?: string;
}
export interface Validator {
  (value: unknown): boolean;
  errors?: ValidationError[] | null;
}
export const record: Validator;
export const plan: Validator;
