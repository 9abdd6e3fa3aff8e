// asl-validator ships no types; this is the part of its API the tests use.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errorsText: (separator?: string) => string;
  }
  /** Validates an ASL definition. It mutates its argument (adds QueryLanguage), so pass a copy. */
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): ValidationResult;
  export = aslValidator;
}
