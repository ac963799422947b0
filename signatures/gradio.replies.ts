import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };

export default defineReplies({
  signature: 'gradio',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '5.49.1',
      replies: [
        {
          method: 'GET',
          path: '/config',
          status: 200,
          headers: json,
          body: {
            version: '5.49.1',
            api_prefix: '/gradio_api',
            mode: 'interface',
            app_id: 1234567890123,
            dev_mode: false,
            analytics_enabled: true,
            components: [
              {
                id: 1,
                type: 'textbox',
                props: { label: 'prompt', show_label: true, name: 'textbox' },
                skip_api: false,
                component_class_id: 'a1',
                api_info: { type: 'string' },
              },
              { id: 2, type: 'image', props: { label: 'output', name: 'image' }, skip_api: false, component_class_id: 'b2' },
            ],
            css: null,
            connect_heartbeat: false,
            js: null,
            head: null,
            title: 'Gradio',
            space_id: null,
            enable_queue: true,
            show_error: false,
            show_api: true,
            is_colab: false,
            max_file_size: null,
            stylesheets: [],
            theme: 'default',
            protocol: 'sse_v3',
            body_css: { body_background_fill: 'white', body_text_color: '#1f2937' },
            fill_height: false,
            fill_width: false,
            layout: { id: 0, children: [{ id: 1 }, { id: 2 }] },
            dependencies: [
              {
                id: 0,
                targets: [[1, 'submit']],
                inputs: [1],
                outputs: [2],
                backend_fn: true,
                js: null,
                queue: null,
                api_name: 'predict',
                scroll_to_output: false,
                show_progress: 'full',
                trigger_mode: 'once',
                show_api: true,
              },
            ],
            root: 'http://127.0.0.1:7860',
            username: null,
          },
          source: 'gradio/blocks.py Blocks.get_config_file via GET /config (Gradio 5.49)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/config',
          status: 401,
          headers: json,
          body: { detail: 'Not authenticated' },
          source: 'gradio/routes.py login_check (Gradio 5.49, launch(auth=…))',
        },
      ],
    },
  },
});
