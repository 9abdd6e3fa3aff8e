/// <reference lib="dom" />
/** Each state machine is described once per page load: both views ask for it, and its graph model is built once. */
import { call, type StateMachine } from './api';
import { buildModel, type GraphModel } from './model';

export interface DescribedMachine {
  machine: StateMachine;
  model: GraphModel;
}

const machines = new Map<string, Promise<DescribedMachine>>();

export function describeMachine(arn: string): Promise<DescribedMachine> {
  let loaded = machines.get(arn);
  if (!loaded) {
    loaded = call<StateMachine>('DescribeStateMachine', { stateMachineArn: arn }).then((machine) => ({
      machine,
      model: buildModel(machine.definition),
    }));
    // A failed describe is not cached: the next view that asks tries again.
    loaded.catch(() => machines.delete(arn));
    machines.set(arn, loaded);
  }
  return loaded;
}
