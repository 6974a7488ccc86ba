/**
 * The application layer as the protocols and features see it: one object of use cases, built
 * once from ports by `createApplication`. Nothing here reaches a database or a socket except
 * through the ports it was given (src/app/ports.ts).
 */
import { AccountDefaultsService } from "./account-defaults-service.ts";
import { SettingsClientTokens } from "./client-tokens.ts";
import { EndpointAllocator } from "./endpoint-allocator.ts";
import { Estate } from "./estate.ts";
import { ExplainService } from "./explain-instance.ts";
import { ImageCatalogue } from "./image-catalogue.ts";
import { ImageService } from "./image-service.ts";
import { InstanceService } from "./instance-service.ts";
import { InstanceStatusService } from "./instance-status-service.ts";
import { LaunchService } from "./launch-service.ts";
import { LaunchTemplateService } from "./launch-template-service.ts";
import type {
  AccountDefaultsRepository,
  ClientTokenRepository,
  Clock,
  IdSource,
  ImageRepository,
  InstanceRepository,
  KeyValueSettings,
  LaunchTemplateRepository,
  LiveEndpoints,
  ScheduledEventsQuery,
  Transactions,
} from "./ports.ts";
import { TagService } from "./tag-service.ts";

export interface Application {
  readonly clock: Clock;
  readonly ids: IdSource;
  /** The instances and their live endpoints (restore at start, the default instance). */
  readonly estate: Estate;
  readonly instances: InstanceService;
  /** DescribeInstanceStatus: status checks and scheduled events. */
  readonly statuses: InstanceStatusService;
  readonly launches: LaunchService;
  readonly catalogue: ImageCatalogue;
  readonly images: ImageService;
  readonly templates: LaunchTemplateService;
  readonly defaults: AccountDefaultsService;
  readonly tags: TagService;
  readonly explain: ExplainService;
  /** ClientToken idempotency of RunInstances and CreateLaunchTemplate. */
  readonly clientTokens: ClientTokenRepository;
}

export interface ApplicationPorts {
  readonly instances: InstanceRepository;
  readonly images: ImageRepository;
  readonly templates: LaunchTemplateRepository;
  readonly defaults: AccountDefaultsRepository;
  readonly settings: KeyValueSettings;
  readonly transactions: Transactions;
  readonly endpoints: LiveEndpoints;
  readonly allocator: EndpointAllocator;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** How long ModifyInstanceMetadataOptions and launches report `pending` before `applied`. */
  readonly optionsApplyDelayMs: number;
  /** The notices feature's scheduled events; none when absent. */
  readonly events?: ScheduledEventsQuery;
}

export function createApplication(ports: ApplicationPorts): Application {
  const { clock, ids, optionsApplyDelayMs } = ports;
  const estate = new Estate(ports);
  const catalogue = new ImageCatalogue(ports.images);
  const templates = new LaunchTemplateService({ templates: ports.templates, ids });
  const instances = new InstanceService({ estate, defaults: ports.defaults, optionsApplyDelayMs });
  return {
    clock,
    ids,
    estate,
    instances,
    statuses: new InstanceStatusService({ events: ports.events ?? { list: () => [] } }),
    launches: new LaunchService({ estate, catalogue, templates, defaults: ports.defaults, ids, optionsApplyDelayMs }),
    catalogue,
    images: new ImageService({ images: ports.images, catalogue, ids }),
    templates,
    defaults: new AccountDefaultsService(ports.defaults),
    tags: new TagService({ estate, instances, images: ports.images, catalogue, templates: ports.templates }),
    clientTokens: new SettingsClientTokens(ports.settings),
    explain: new ExplainService({ instances: ports.instances, catalogue, templates: ports.templates, defaults: ports.defaults }),
  };
}
