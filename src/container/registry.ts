/**
 * The containers this build reads, in the order they are tried: strong magic
 * first, MPEG-TS's sync-byte search last.
 *
 * @module
 */

import { UnsupportedMediaError } from "../errors.ts";
import type { Container, ContainerName } from "./container.ts";
import { MATROSKA } from "./matroska.ts";
import { MP4 } from "./mp4.ts";
import { MPEG_TS } from "./mpegts.ts";

/** Every container, in detection order. */
export const CONTAINERS: readonly Container[] = [MP4, MATROSKA, MPEG_TS];

/** "MP4/MOV, Matroska/WebM, MPEG-TS/M2TS": the containers, for messages. */
export const CONTAINER_LABELS: string = CONTAINERS.map((c) => c.label).join(", ");

/** The container whose magic the object's first bytes show, if any. */
export function detectContainer(head: Uint8Array): Container | undefined {
  return CONTAINERS.find((c) => c.detect(head));
}

/** The container of a name stored in an index. */
export function containerNamed(name: ContainerName): Container {
  const found = CONTAINERS.find((c) => c.name === name);
  if (!found) throw new UnsupportedMediaError(`unknown container ${JSON.stringify(name)}; known: ${CONTAINER_LABELS}`);
  return found;
}
