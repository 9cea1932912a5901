/**
 * `derive(config)` computed once per configuration object (parsed configurations are never changed), for what a rule
 * needs of its configuration on every record: sorted thresholds, a holiday index.
 */
export function oncePerConfig<K extends object, V>(derive: (config: K) => V): (config: K) => V {
  const cache = new WeakMap<K, V>();
  return (config) => {
    let value = cache.get(config);
    if (value === undefined) cache.set(config, (value = derive(config)));
    return value;
  };
}
