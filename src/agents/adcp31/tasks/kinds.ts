import {
  type AdcpProtocol,
  type TaskType,
  taskDomain,
  taskType as taskTypes,
} from '../schemas/tasks.js';

/**
 * What a task is, from the tool that started it: its `task_type` (enums/task-type.json names
 * get_media_buy_delivery's tasks `media_buy_delivery`; every other type is its tool's name), its
 * `protocol` (enums/adcp-protocol.json) and list_tasks' `domain`. A tool with no task type is no
 * task a buyer can list.
 */
const typeOfTool: ReadonlyMap<string, TaskType> = new Map<string, TaskType>([
  ...taskTypes.options.map((type) => [type, type] as const),
  ['get_media_buy_delivery', 'media_buy_delivery'],
]);

const protocolOfType: Partial<Record<TaskType, AdcpProtocol>> = {
  sync_creatives: 'creative',
  build_creative: 'creative',
  get_creative_delivery: 'creative',
  activate_signal: 'signals',
  get_signals: 'signals',
  create_property_list: 'governance',
  update_property_list: 'governance',
  get_property_list: 'governance',
  list_property_lists: 'governance',
  delete_property_list: 'governance',
  get_brand_identity: 'brand',
  search_brands: 'brand',
  get_rights: 'brand',
  acquire_rights: 'brand',
};

export const taskTypeOf = (tool: string): TaskType | undefined => typeOfTool.get(tool);

/** The protocol of a task type: media-buy unless it belongs to another. */
export const protocolOf = (type: TaskType): AdcpProtocol => protocolOfType[type] ?? 'media-buy';

/** list_tasks' `domain`, which names only three of the protocols: the rest are media-buy's. */
export function domainOf(protocol: AdcpProtocol): 'media-buy' | 'signals' | 'creative' {
  const parsed = taskDomain.safeParse(protocol);
  return parsed.success ? parsed.data : 'media-buy';
}

/** Every tool whose tasks are listed, with its type and protocol. */
export const taskTools: ReadonlyArray<{ tool: string; type: TaskType; protocol: AdcpProtocol }> = [
  ...typeOfTool,
].map(([tool, type]) => ({ tool, type, protocol: protocolOf(type) }));
