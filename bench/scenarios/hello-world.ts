// The ceiling: a plain GET to a Worker that does nothing, served as ours is.
import { StepError, type HttpClient } from '../http.ts';
import type { LoadScenario } from '../load.ts';

export function helloWorld(http: HttpClient): LoadScenario<void> {
  return {
    prepare: async () => {},
    run: async () => {
      const res = await http.request('/');
      if (res.status !== 200 || res.text !== 'ok') throw new StepError(`hello-world: ${res.status}`);
    },
  };
}
