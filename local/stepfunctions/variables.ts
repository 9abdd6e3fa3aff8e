/**
 * Workflow variables (`Assign`): one scope per execution, and one per Parallel branch and Map iteration. A
 * branch or iteration reads the variables of the scopes around it; what it assigns stays in its own scope (AWS
 * passes data out of a branch only through its output).
 */
import type { Json } from './definition';

export class VariableScope {
  private readonly values = new Map<string, Json>();

  constructor(private readonly parent?: VariableScope) {}

  /** A scope for a Parallel branch or Map iteration inside this one. */
  child(): VariableScope {
    return new VariableScope(this);
  }

  get(name: string): Json | undefined {
    return this.values.has(name) ? this.values.get(name) : this.parent?.get(name);
  }

  /** Every visible variable, inner scopes shadowing outer ones (JSONata bindings). */
  all(): Record<string, Json> {
    const outer = this.parent?.all() ?? {};
    return { ...outer, ...Object.fromEntries(this.values) };
  }

  /** Applies a state's Assign, all at once, once the state has been evaluated. */
  assign(values: Record<string, Json>): void {
    for (const [name, value] of Object.entries(values)) this.values.set(name, value);
  }
}
