import { XMLParser } from 'fast-xml-parser';
import { type Answer, type FakeNetwork, listOf, type Obj, toXml } from './network.js';

/*
 * The fake FreeWheel's V3 resources, in XML (server.ts names the documentation they follow):
 * advertisers and campaigns (/services/v3/…), insertion orders (/v3/insertion_orders: list,
 * create, show, delete, book, unbook) and placements (/services/v3/placement: create, edit; no
 * delete). Answers undefined for a route it does not serve (the server answers 404).
 */

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'id' });

/** Parsed XML body's root element. */
const rootOf = (text: string, name: string) => ((parser.parse(text) as Obj)[name] ?? {}) as Obj;
export const xmlError = (message: string) => toXml('errors', { error: message });

/** `refused()`: a placement whose name contains it is refused with a validation error. */
export function ordersV3(network: FakeNetwork, refused: () => string | undefined) {
  return function v3(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): Answer | undefined {
    const id = Number(/\/(\d+)/.exec(path)?.[1]);
    const route = path.replace(/\/\d+/, '/:id');
    const io = network.insertionOrders.get(id);
    const xml = (status: number, text: string): Answer => [status, 'xml', text];
    switch (`${method} ${route}`) {
      case 'GET services/v3/advertiser.xml': {
        const page = listOf(network.advertisers, query);
        return xml(
          200,
          `<advertisers total_page="${page.total_page}">${toXml('advertiser', page.items)}</advertisers>`,
        );
      }
      case 'POST services/v3/advertiser.xml': {
        const created = {
          id: network.nextId(),
          name: String(rootOf(body, 'advertiser')['name'] ?? ''),
          status: 'ACTIVE',
        };
        network.advertisers.set(created.id, created);
        return xml(201, toXml('advertiser', created));
      }
      case 'POST services/v3/campaign.xml': {
        const input = rootOf(body, 'campaign');
        if (!network.advertisers.has(Number(input['advertiser_id'])))
          return xml(400, xmlError('advertiser_id is invalid'));
        const created = {
          id: network.nextId(),
          name: input['name'],
          advertiser_id: Number(input['advertiser_id']),
        };
        network.campaigns.set(created.id, created);
        return xml(201, toXml('campaign', created));
      }
      case 'DELETE services/v3/campaign/:id.xml':
        return network.campaigns.delete(id) ? xml(200, '<campaign/>') : undefined;
      case 'GET v3/insertion_orders.xml': {
        const page = listOf(network.insertionOrders, query);
        return xml(
          200,
          `<insertion_orders total_page="${page.total_page}">${toXml('insertion_order', page.items)}</insertion_orders>`,
        );
      }
      case 'POST v3/insertion_orders.xml': {
        const input = rootOf(body, 'insertion_order');
        if (!network.campaigns.has(Number(input['campaign_id'])))
          return xml(400, xmlError('campaign_id is invalid'));
        const created = {
          ...input,
          id: network.nextId(),
          campaign_id: Number(input['campaign_id']),
          status: 'UNBOOKED',
        };
        network.insertionOrders.set(created.id, created);
        return xml(201, toXml('insertion_order', created));
      }
      case 'GET v3/insertion_orders/:id.xml':
        return io ? xml(200, toXml('insertion_order', io)) : undefined;
      case 'DELETE v3/insertion_orders/:id.xml': {
        if (!io) return undefined;
        if (io['status'] === 'BOOKED')
          return xml(400, xmlError('A booked insertion order cannot be deleted'));
        network.insertionOrders.delete(id);
        for (const [pid, p] of network.placements)
          if (p['insertion_order_id'] === id) network.placements.delete(pid);
        return xml(200, '<insertion_order/>');
      }
      case 'PUT v3/insertion_orders/:id/book.xml':
      case 'PUT v3/insertion_orders/:id/unbook.xml':
        if (!io) return undefined;
        io['status'] = route.includes('/book') ? 'BOOKED' : 'UNBOOKED';
        return xml(200, toXml('insertion_order', io));
      case 'POST services/v3/placement.xml': {
        const input = rootOf(body, 'placement');
        const order = network.insertionOrders.get(Number(input['insertion_order_id']));
        if (!order) return xml(400, xmlError('insertion_order_id is invalid'));
        const refusedName = refused();
        if (refusedName && String(input['name']).includes(refusedName))
          return xml(400, xmlError('schedule end_time is outside the insertion order'));
        const content = ((input['targeting'] ?? {}) as Obj)['content'] as Obj | undefined;
        const ids = (kind: string) =>
          (
            (((((content?.[kind] ?? {}) as Obj)['include'] ?? {}) as Obj)['id'] as
              string[] | undefined) ?? []
          ).map(Number);
        const created: Obj = {
          ...input,
          id: network.nextId(),
          insertion_order_id: order['id'],
          status: 'ACTIVE',
          site_section_ids: ids('site_section'),
          site_ids: ids('site'),
          price: {
            ...((input['price'] ?? {}) as Obj),
            rate: Number(((input['price'] ?? {}) as Obj)['rate']),
          },
          budget: {
            ...((input['budget'] ?? {}) as Obj),
            impression: Number(((input['budget'] ?? {}) as Obj)['impression']),
          },
        };
        network.placements.set(Number(created['id']), created);
        return xml(
          201,
          toXml('placement', { id: created.id, name: created['name'], status: 'ACTIVE' }),
        );
      }
      case 'PUT services/v3/placement/:id.xml': {
        const placement = network.placements.get(id);
        if (!placement) return undefined;
        const input = rootOf(body, 'placement');
        for (const [key, value] of Object.entries(input)) {
          placement[key] =
            value && typeof value === 'object'
              ? { ...((placement[key] ?? {}) as Obj), ...(value as Obj) }
              : value;
        }
        const budget = placement['budget'] as Obj | undefined;
        if (budget) budget['impression'] = Number(budget['impression']);
        return xml(
          200,
          toXml('placement', { id, name: placement['name'], status: placement['status'] }),
        );
      }
    }
    return undefined;
  };
}
