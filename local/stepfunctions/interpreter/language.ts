import type { Json, JsonObject } from '../definition';

/** The two query languages; a state's own QueryLanguage wins over the machine's. */
export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A state's result turned into its output, with the variables its Assign sets. */
export interface StateOutcome {
  output: Json;
  assigned?: Record<string, Json>;
}

export interface TaskTimeouts {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** What a Wait state waits for, resolved from its fields. */
export interface WaitTarget {
  seconds?: Json;
  timestamp?: Json;
  /** SecondsPath/TimestampPath as written, for AWS's error messages. */
  path?: string;
  /** The value came from a JSONata expression (errors are then States.QueryEvaluationError). */
  jsonata?: boolean;
}

/**
 * One visit of one state in one query language: turns the state input into what the state works on, and its
 * result into the state output. JSONPath methods answer synchronously (so a `.waitForTaskToken` Task's Parameters are
 * read right after the state is entered); JSONata ones may return promises.
 */
export interface StateLanguage {
  /** Task, Parallel: what the resource or the branches receive. Pass: the result. Others: the effective input. */
  effectiveInput(): Json | Promise<Json>;
  /** Task: TimeoutSeconds and HeartbeatSeconds, resolved (JSONata expressions, JSONPath `...Path` fields). */
  taskTimeouts(effective: Json): TaskTimeouts | Promise<TaskTimeouts>;
  /** Map: the items. */
  items(effective: Json): Json[] | Promise<Json[]>;
  /** Map: one iteration's input. */
  itemInput(effective: Json, item: Json, index: number): Json | Promise<Json>;
  /** Map: MaxConcurrency (0: no limit). */
  maxConcurrency(effective: Json): number | Promise<number>;
  /** Choice: the rule that matched, or undefined. */
  choose(effective: Json): JsonObject | undefined | Promise<JsonObject | undefined>;
  /** Wait: how long. */
  waitTarget(effective: Json): WaitTarget | Promise<WaitTarget>;
  /** Fail: Error and Cause. */
  failure(effective: Json): { error?: string; cause?: string } | Promise<{ error?: string; cause?: string }>;
  /** Output and Assign once the state's work gave `result` (`rule`: the Choice rule taken). */
  finish(result: Json, effective: Json, rule?: JsonObject): StateOutcome | Promise<StateOutcome>;
  /** Output and Assign of a Catch that caught `errorOutput`. */
  caught(catcher: JsonObject, errorOutput: JsonObject): StateOutcome | Promise<StateOutcome>;
}
